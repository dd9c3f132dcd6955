import { foldCase } from './fold-case.js';
import { ANY_METHOD, type Entry, type Route, type TreeNode } from './route-tree.js';

/** What `match()` returns: the route and the values its params captured. */
export interface Match<T> {
  /** The matched route. */
  readonly route: Route<T>;
  /** Param values by name; a wildcard's value is the rest of the path without its leading `/`. */
  readonly params: Readonly<Record<string, string>>;
}

/** A compiled lookup: `(method, path)` to a match, or `undefined`. */
export type MatchFunction<T> = (method: string, path: string) => Match<T> | undefined;

/** Static routes: full path (case-folded when needed) to method to a ready-made match. */
export type StaticTable<T> = Map<string, Record<string, Match<T>>>;

const EMPTY_PARAMS: Readonly<Record<string, string>> = Object.freeze({});

/** A frozen match with no params, shared by every lookup of a static route. */
export function staticMatch<T>(route: Route<T>): Match<T> {
  return Object.freeze({ route, params: EMPTY_PARAMS });
}

/** Longest static segment compared char by char; longer ones use `startsWith`. */
const INLINE_COMPARE_MAX = 16;

/** Generated subtrees longer than this many characters become functions of their own. */
const HOIST_SIZE = 1500;

/**
 * Turns the route tree into one specialised JavaScript function, in the spirit of
 * rou3's `compileRouter`, without splitting the path: a fully static path is found
 * by a `switch` on its length and one string comparison; in the tree every static
 * segment becomes inline char-code tests, every param one `indexOf` and a slice,
 * every route an object literal with its own param names. The generated source
 * contains only numbers and `JSON.stringify`-quoted method names and segment text.
 */
export function compileMatcher<T>(
  root: TreeNode<T>,
  statics: StaticTable<T>,
  caseInsensitive: boolean,
): MatchFunction<T> {
  const constants: unknown[] = [];
  const ref = (value: unknown): string => {
    let index = constants.indexOf(value);
    if (index === -1) index = constants.push(value) - 1;
    return `c${index}`;
  };

  const methodDispatch = <V>(
    table: Iterable<[string, V]>,
    result: (value: V) => string,
  ): string => {
    let code = '';
    let any = '';
    for (const [method, value] of table) {
      if (method === ANY_METHOD) any = `return ${result(value)};\n`;
      else code += `if (m === ${JSON.stringify(method)}) return ${result(value)};\n`;
    }
    return code + any;
  };

  const dispatch = (table: Map<string, Entry<T>>, values: string[]): string =>
    methodDispatch(table, (entry) => {
      const params = entry.names
        .map((name, i) => `${JSON.stringify(name)}: ${values[i]}`)
        .join(', ');
      return `{ route: ${ref(entry.route)}, params: { ${params} } }`;
    });

  const hasDynamic = (node: TreeNode<T>, underParam: boolean): boolean =>
    node.wildcard.size > 0 ||
    (underParam && node.ends.size > 0) ||
    node.param !== undefined ||
    [...node.statics.values()].some((child) => hasDynamic(child, underParam));

  /** A test that the segment starting at `s` is exactly `text`. */
  const segmentTest = (text: string, s: string): string => {
    const end = text.length === 0 ? s : `${s} + ${text.length}`;
    const boundary = `(${end} === L || p.charCodeAt(${end}) === 47)`;
    if (text.length === 0) return boundary;
    if (text.length > INLINE_COMPARE_MAX)
      return `p.startsWith(${JSON.stringify(text)}, ${s}) && ${boundary}`;
    const chars: string[] = [];
    for (let i = 0; i < text.length; i++) {
      chars.push(`p.charCodeAt(${i === 0 ? s : `${s} + ${i}`}) === ${text.charCodeAt(i)}`);
    }
    return `${chars.join(' && ')} && ${boundary}`;
  };

  const functions: string[] = [];
  /**
   * Code for a child node. A large subtree becomes a function of its own: V8 does not
   * optimise very large functions, and small ones it optimises (and inlines) well.
   */
  const genChild = (
    node: TreeNode<T>,
    depth: number,
    values: string[],
    vars: string[],
    underParam: boolean,
  ): string => {
    const code = genNode(node, depth, values, vars, underParam);
    if (code.length < HOIST_SIZE) return code;
    const name = `f${functions.length}`;
    const args = ['m', 'p', 'o', 'L', ...new Set([`e${depth}`, ...vars])].join(', ');
    functions.push(`function ${name}(${args}) {\n${code}return undefined;\n}`);
    return `{\nconst r = ${name}(${args});\nif (r !== undefined) return r;\n}\n`;
  };

  const genNode = (
    node: TreeNode<T>,
    depth: number,
    values: string[],
    vars: string[],
    underParam: boolean,
  ): string => {
    const e = `e${depth}`;
    const s = `s${depth + 1}`;
    const next = `e${depth + 1}`;
    let code = '';
    if (underParam && node.ends.size > 0)
      code += `if (${e} === L) {\n${dispatch(node.ends, values)}}\n`;
    const statics = [...node.statics].filter(([, child]) => hasDynamic(child, underParam));
    if (statics.length === 0 && node.param === undefined && node.wildcard.size === 0) return code;
    code += `if (${e} < L) {\nconst ${s} = ${e} + 1;\n`;
    const staticBlock = ([text, child]: [string, TreeNode<T>]): string =>
      `if (${segmentTest(text, s)}) {\nconst ${next} = ${s} + ${text.length};\n${genChild(child, depth + 1, values, vars, underParam)}}\n`;
    if (statics.length > 3) {
      // Branch on the first character so only a few segments are compared.
      const byFirst = new Map<number, [string, TreeNode<T>][]>();
      for (const entry of statics) {
        const first = entry[0].length === 0 ? -1 : entry[0].charCodeAt(0);
        byFirst.set(first, [...(byFirst.get(first) ?? []), entry]);
      }
      code += `switch (p.charCodeAt(${s})) {\n`;
      for (const [first, group] of byFirst) {
        // An empty segment shows as "/" or as the end of the path (NaN, which no case matches).
        if (first === -1) continue;
        code += `case ${first}: {\n${group.map(staticBlock).join('')}break;\n}\n`;
      }
      code += '}\n';
      const empty = byFirst.get(-1);
      if (empty !== undefined) code += empty.map(staticBlock).join('');
    } else {
      code += statics.map(staticBlock).join('');
    }
    if (node.param !== undefined) {
      const value = `o.slice(${s}, ${next})`;
      code += `{\nlet ${next} = p.indexOf("/", ${s});\nif (${next} === -1) ${next} = L;\nif (${next} > ${s}) {\n${genChild(node.param, depth + 1, [...values, value], [...vars, s, next], true)}}\n}\n`;
    }
    if (node.wildcard.size > 0) code += dispatch(node.wildcard, [...values, `o.slice(${s})`]);
    return `${code}}\n`;
  };

  // Fully static paths: a switch on the length, then one comparison per candidate.
  const byLength = new Map<number, string[]>();
  for (const [path, table] of statics) {
    const test = `if (p === ${JSON.stringify(path)}) {\n${methodDispatch(Object.entries(table), ref)}}\n`;
    byLength.set(path.length, [...(byLength.get(path.length) ?? []), test]);
  }
  let staticCode = '';
  if (byLength.size > 0) {
    staticCode = 'switch (p.length) {\n';
    for (const [length, tests] of byLength)
      staticCode += `case ${length}:\n${tests.join('')}break;\n`;
    staticCode += '}\n';
  }

  const tree = genNode(root, 0, [], [], false);
  const head = caseInsensitive ? 'const o = p;\np = foldCase(p);\n' : 'const o = p;\n';
  const treeCode =
    tree.length === 0
      ? ''
      : `if (p.charCodeAt(0) !== 47) return undefined;\nconst L = p.length;\nconst e0 = 0;\n${tree}`;
  const body = `${head}${staticCode}${treeCode}return undefined;`;
  const names = constants.map((_, i) => `const c${i} = C[${i}];`).join('\n');
  const factory = new Function(
    'C',
    'foldCase',
    `${names}\n${functions.join('\n')}\nreturn function match(m, p) {\n${body}\n};`,
  );
  return factory(constants, foldCase) as MatchFunction<T>;
}
