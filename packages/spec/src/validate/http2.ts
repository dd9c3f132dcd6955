import { connectionSpecificProblem } from '../http2-fields.js';
import { violation } from './violation.js';

/**
 * Checks that an HTTP/2-or-later request carries no connection-specific
 * field (env.24): the server should have refused it as malformed, so a
 * violation is the server's. Does nothing for HTTP/1.x.
 */
export function checkHttp2Fields(env: Record<string, string | undefined>): void {
  const problem = connectionSpecificProblem(env.SERVER_PROTOCOL!, (key) => env[key]);
  if (problem !== undefined) {
    throw violation('env.24', `the server passed ${problem}, which makes it malformed`);
  }
}
