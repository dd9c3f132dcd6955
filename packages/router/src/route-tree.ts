import { foldCase } from './fold-case.js';
import type { Segment } from './pattern.js';

/** The method key of a route that answers every method (`all()`, mounts). */
export const ANY_METHOD = '*';

/** A registered route: what `match()` hands back in `Match.route`. */
export interface Route<T> {
  /** The HTTP method, or `"*"` for a route that answers every method. */
  readonly method: string;
  /** The pattern as registered, e.g. `/items/:id`. */
  readonly pattern: string;
  /** Whatever was registered with the route (a TSGI application in the router). */
  readonly data: T;
}

/** A route as stored at a tree node, with the names of the values it captures, in order. */
export interface Entry<T> {
  readonly route: Route<T>;
  readonly names: readonly string[];
}

/** One node of the segment tree; the root stands for the leading `/`. */
export interface TreeNode<T> {
  /** Children by static segment text (lower-cased when matching ignores case). */
  readonly statics: Map<string, TreeNode<T>>;
  /** The child for a `:param` segment, shared by every param name at this position. */
  param: TreeNode<T> | undefined;
  /** Routes whose pattern ends at this node, by method. */
  readonly ends: Map<string, Entry<T>>;
  /** Routes with a wildcard right after this node, by method. */
  readonly wildcard: Map<string, Entry<T>>;
}

/** Makes an empty tree node. */
export function createNode<T>(): TreeNode<T> {
  return { statics: new Map(), param: undefined, ends: new Map(), wildcard: new Map() };
}

/**
 * Inserts one expanded pattern variant. Returns the route already stored in the
 * same place for the same method, if any, and leaves the tree unchanged then.
 */
export function insertRoute<T>(
  root: TreeNode<T>,
  segments: readonly Segment[],
  route: Route<T>,
  caseInsensitive: boolean,
): Route<T> | undefined {
  let node = root;
  const names: string[] = [];
  let table = root.ends;
  for (const segment of segments) {
    if (segment.kind === 'static') {
      const key = caseInsensitive ? foldCase(segment.value) : segment.value;
      let child = node.statics.get(key);
      if (child === undefined) {
        child = createNode();
        node.statics.set(key, child);
      }
      node = child;
      table = node.ends;
    } else if (segment.kind === 'param') {
      node.param ??= createNode();
      node = node.param;
      names.push(segment.name);
      table = node.ends;
    } else {
      names.push(segment.name);
      table = node.wildcard;
    }
  }
  const existing = table.get(route.method);
  if (existing !== undefined) return existing.route;
  table.set(route.method, { route, names });
  return undefined;
}

/** Whether a variant has a param or a wildcard, i.e. cannot live in the static map. */
export function isDynamic(segments: readonly Segment[]): boolean {
  return segments.some((s) => s.kind !== 'static');
}
