import type { Application, StartResponse } from '../application.js';
import type { Environ } from '../environ.js';
import type { TsgiValidationError } from '../errors.js';
import { wrapBody } from './body.js';
import { checkEnviron } from './environ.js';
import { wrapErrors } from './errors-stream.js';
import { wrapInput } from './input.js';
import { ResponseState } from './response-state.js';
import { wrapStartResponse } from './start-response.js';
import { isThenable } from './thenable.js';
import { show, violation } from './violation.js';
import { wrapUpgrade } from './websocket.js';

/** Options of {@link validate}. */
export interface ValidateOptions {
  /**
   * Receives the violations that no call can throw, because they are found
   * later: a body garbage-collected without `close()` (body.5), a `write`
   * promise that rejected (write.3), a WebSocket's `closed` that settled
   * wrongly (ws.16). Defaults to `process.emitWarning(error)`.
   */
  onViolation?: (error: TsgiValidationError) => void;
}

function emitWarning(error: TsgiValidationError): void {
  process.emitWarning(error);
}

/**
 * Wraps an application in a lint middleware that checks both sides of every
 * request against SPEC.md: the environ and streams the server passes, and
 * everything the application does with `startResponse`, `write` and its body.
 * A violation throws a `TsgiValidationError` whose message starts with the
 * rule id, e.g. `[sr.6]`. Like `wsgiref.validate`, it replaces `tsgi.input`
 * and `tsgi.errors` (and `tsgi.websocket`, when present) with checking
 * wrappers in the same environ object.
 *
 * @example
 * import { serve } from '@tsgi/node';
 * serve(validate(app)); // in development and tests
 */
export function validate(app: Application, options: ValidateOptions = {}): Application {
  if (typeof app !== 'function') {
    throw violation('app.1', `validate() was given ${show(app)}, not a function`);
  }
  const report = options.onViolation ?? emitWarning;
  return function validated(...args: unknown[]) {
    if (args.length !== 2 || typeof args[1] !== 'function') {
      throw violation(
        'app.2',
        `the application was called with ${args.length} arguments (${args.map(show).join(', ')})`,
      );
    }
    const environ: unknown = args[0];
    checkEnviron(environ);
    const env: Environ = environ;
    const length = env.CONTENT_LENGTH === undefined ? undefined : Number(env.CONTENT_LENGTH);
    env['tsgi.input'] = wrapInput(env['tsgi.input'], length);
    env['tsgi.errors'] = wrapErrors(env['tsgi.errors']);
    const state = new ResponseState(env.REQUEST_METHOD, report);
    const upgrade = env['tsgi.websocket'];
    if (upgrade !== undefined) env['tsgi.websocket'] = wrapUpgrade(upgrade, state);
    const startResponse = wrapStartResponse(args[1] as StartResponse, state, env);
    const result: unknown = app(env, startResponse);
    if (isThenable(result)) {
      return Promise.resolve(result).then((body) => {
        state.returned = true;
        return wrapBody(body, state, 'async.1');
      });
    }
    state.returned = true;
    return wrapBody(result, state, 'body.1');
  };
}
