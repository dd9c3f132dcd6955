import type { RequestProblem } from '@tsgi/spec';
import { logRefusal } from '../log/access-log.js';
import type { ServerContext } from '../options/server-context.js';
import { schemeOf } from './environ.js';

/**
 * Logs a request a gateway listener refused before the app saw it, in the
 * access log like any response, describing it from its CGI variables (all
 * it has: no environ was built).
 *
 * @example
 * logVarsRefusal(context, new RequestProblem(400, 'invalid REQUEST_METHOD "G T"'), vars);
 */
export function logVarsRefusal(
  context: ServerContext,
  problem: RequestProblem,
  vars: ReadonlyMap<string, string>,
): void {
  logRefusal(
    context.log,
    context.errors,
    () => ({
      REQUEST_METHOD: vars.get('REQUEST_METHOD') ?? '',
      REQUEST_URI: vars.get('REQUEST_URI') ?? '',
      SERVER_PROTOCOL: vars.get('SERVER_PROTOCOL') ?? '',
      REMOTE_ADDR: vars.get('REMOTE_ADDR') ?? '',
      HTTP_USER_AGENT: vars.get('HTTP_USER_AGENT'),
      'tsgi.url_scheme': schemeOf(vars),
    }),
    problem.status,
    `${problem.message}\n`,
  );
}
