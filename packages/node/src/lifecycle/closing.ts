import type { AccessLogger } from '../contracts/access-log.js';

/** The part of a server's shared state that a stop changes. */
export interface Closable {
  closing: boolean;
  readonly log: AccessLogger | undefined;
}

/**
 * Marks a server's `context` as closing (its responses from now on close
 * their connection), and, for a drain, wraps its access logger so each line
 * logged from now on carries the drain's `reason`.
 */
export function markClosing(context: Closable, reason: string | undefined): void {
  context.closing = true;
  const log = context.log;
  if (reason === undefined || log === undefined) return;
  (context as { log: AccessLogger }).log = (environ, status, bytes, startedAt) =>
    log({ ...environ, drain: reason }, status, bytes, startedAt);
}
