import type { ErrorStream } from '@tsgi/spec';
import type { AccessLogger } from '../contracts/access-log.js';
import type { StatusCache } from './status.js';

/** Per-server settings the runner reads on every request. */
export interface RunnerContext {
  /** Where application errors are reported (the server's `tsgi.errors`). */
  readonly errors: ErrorStream;
  /** Put error details in 500 bodies. */
  readonly debug: boolean;
  /** The access logger, when the log is on. */
  readonly log: AccessLogger | undefined;
  /** Set to true while the server shuts down: responses then close their connection. */
  closing: boolean;
  /** Milliseconds a response may wait for `'drain'` before the connection is destroyed; 0 never. */
  readonly idleTimeout: number;
  /**
   * True when the sink itself refuses invalid header names and values (and
   * reason phrases) by throwing from `writeHead`, as `ServerResponse` does:
   * the runner then skips its own identical checks. Leave it unset for a sink
   * that writes headers raw.
   */
  sinkChecksHeaders?: boolean;
  /**
   * True when the sink's `end` also takes `(string, 'latin1')` and writes that
   * string's chars as bytes, as `ServerResponse` does: small one-chunk bodies
   * then go out glued to the headers in one string.
   */
  sinkTakesLatin1?: boolean;
  /**
   * This server's parsed status lines: made by the runner at the first
   * response and kept here, so each server has its own. Leave it unset.
   */
  statuses?: StatusCache;
}
