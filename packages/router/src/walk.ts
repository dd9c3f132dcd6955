import type { Match } from './compile.js';
import { foldCase } from './fold-case.js';
import { ANY_METHOD, type Entry, type TreeNode } from './route-tree.js';

function pick<T>(table: Map<string, Entry<T>>, method: string): Entry<T> | undefined {
  return table.get(method) ?? table.get(ANY_METHOD);
}

function build<T>(entry: Entry<T>, values: readonly string[]): Match<T> {
  const params: Record<string, string> = {};
  for (let i = 0; i < entry.names.length; i++)
    params[entry.names[i] as string] = values[i] as string;
  return { route: entry.route, params };
}

/**
 * Matches already-split, already-decoded path segments by walking the tree, with
 * the same priorities as the compiled matcher: static, then param, then wildcard,
 * backtracking when a branch does not end in a route for `method`. Used when a
 * segment itself contains `/` (sent as `%2F`), which a joined path cannot express.
 */
export function walkSegments<T>(
  root: TreeNode<T>,
  method: string,
  segments: readonly string[],
  caseInsensitive: boolean,
): Match<T> | undefined {
  const values: string[] = [];
  const visit = (node: TreeNode<T>, i: number): Match<T> | undefined => {
    if (i === segments.length) {
      const entry = pick(node.ends, method);
      return entry === undefined ? undefined : build(entry, values);
    }
    const segment = segments[i] as string;
    const child = node.statics.get(caseInsensitive ? foldCase(segment) : segment);
    if (child !== undefined) {
      const found = visit(child, i + 1);
      if (found !== undefined) return found;
    }
    if (node.param !== undefined && segment !== '') {
      values.push(segment);
      const found = visit(node.param, i + 1);
      if (found !== undefined) return found;
      values.pop();
    }
    const entry = pick(node.wildcard, method);
    if (entry !== undefined) return build(entry, [...values, segments.slice(i).join('/')]);
    return undefined;
  };
  return visit(root, 0);
}
