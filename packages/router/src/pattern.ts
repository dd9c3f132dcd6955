/** One parsed piece of a route pattern. */
export type Segment =
  | { kind: 'static'; value: string }
  | { kind: 'param'; name: string }
  | { kind: 'wildcard'; name: string };

/** A route pattern split into segments, after optional params are expanded. */
export interface ParsedPattern {
  /** The pattern as registered, e.g. `/items/:id?`. */
  pattern: string;
  /** Each expansion of the pattern: one, or two when the last param is optional. */
  variants: Segment[][];
}

const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

// `params` is a plain object: this key would set its prototype, not a param.
const PROTO_NAME = '"__proto__" cannot be a param name';

/** The name a wildcard without its own name (`*`) is stored under in `params`. */
export const UNNAMED_WILDCARD = '*';

/**
 * Parses a route pattern. Segments are separated by `/`; a segment is static text,
 * `:name` (one non-empty segment), `:name?` (optional, last segment only) or
 * `*` / `*name` (the rest of the path, last segment only). No regular expressions
 * are ever taken from the pattern, so matching cannot backtrack catastrophically.
 *
 * @throws TypeError naming the pattern and the problem.
 */
export function parsePattern(pattern: string): ParsedPattern {
  if (typeof pattern !== 'string' || pattern.charCodeAt(0) !== 47 /* / */) {
    throw new TypeError(
      `route pattern ${JSON.stringify(pattern)} must be a string starting with "/"`,
    );
  }
  const parts = pattern.slice(1).split('/');
  const segments: Segment[] = [];
  const names = new Set<string>();
  let optional = false;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    const last = i === parts.length - 1;
    const fail = (problem: string): never => {
      throw new TypeError(`route pattern ${JSON.stringify(pattern)}: ${problem}`);
    };
    if (part.startsWith(':')) {
      let name = part.slice(1);
      if (name.endsWith('?')) {
        if (!last) fail(`optional param "${part}" must be the last segment`);
        name = name.slice(0, -1);
        optional = true;
      }
      if (!PARAM_NAME.test(name)) fail(`param "${part}" needs a name of letters, digits and "_"`);
      if (name === '__proto__') fail(PROTO_NAME);
      if (names.has(name)) fail(`param name "${name}" is used twice`);
      names.add(name);
      segments.push({ kind: 'param', name });
    } else if (part.startsWith('*')) {
      if (!last) fail(`wildcard "${part}" must be the last segment`);
      const name = part.length === 1 ? UNNAMED_WILDCARD : part.slice(1);
      if (name !== UNNAMED_WILDCARD && !PARAM_NAME.test(name)) {
        fail(`wildcard "${part}" needs a name of letters, digits and "_"`);
      }
      if (name === '__proto__') fail(PROTO_NAME);
      if (names.has(name)) fail(`param name "${name}" is used twice`);
      names.add(name);
      segments.push({ kind: 'wildcard', name });
    } else {
      if (part.includes('?') || part.includes('#')) {
        fail(`segment "${part}" contains "?" or "#", which never reach PATH_INFO`);
      }
      segments.push({ kind: 'static', value: part });
    }
  }
  if (!optional) return { pattern, variants: [segments] };
  // `/items/:id?` is `/items` and `/items/:id`.
  const without = segments.slice(0, -1);
  return {
    pattern,
    variants: [without.length === 0 ? [{ kind: 'static', value: '' }] : without, segments],
  };
}

/**
 * Parses a mount prefix: a pattern without wildcard or optional param, which
 * matches the prefix itself and everything under it (`/api`, `/api/...`).
 * A trailing `/` is ignored; `/` mounts at the root.
 *
 * @throws TypeError naming the prefix and the problem.
 */
export function parseMount(prefix: string): ParsedPattern {
  const base = typeof prefix === 'string' ? prefix.replace(/\/+$/, '') : prefix;
  if (base === '') {
    if (prefix === '' || typeof prefix !== 'string') parsePattern(prefix);
    return { pattern: prefix, variants: [[{ kind: 'wildcard', name: UNNAMED_WILDCARD }]] };
  }
  const parsed = parsePattern(base);
  const [segments] = parsed.variants;
  if (
    parsed.variants.length !== 1 ||
    segments === undefined ||
    segments.some((s) => s.kind === 'wildcard')
  ) {
    throw new TypeError(
      `mount prefix ${JSON.stringify(prefix)} cannot hold a wildcard or an optional param`,
    );
  }
  return {
    pattern: prefix,
    variants: [segments, [...segments, { kind: 'wildcard', name: UNNAMED_WILDCARD }]],
  };
}

/** The shape of a variant with param names erased, e.g. `/users/:/posts`; equal shapes collide. */
export function shapeOf(segments: Segment[]): string {
  let shape = '';
  for (const s of segments) {
    shape += s.kind === 'static' ? `/${s.value}` : s.kind === 'param' ? '/:' : '/*';
  }
  return shape;
}
