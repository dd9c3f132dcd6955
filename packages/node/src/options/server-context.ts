import type { Application, EnvironContext } from '@tsgi/spec';
import { compileTrust, type TrustPredicate } from '@tsgi/spec';
import type { AccessLogger } from '../contracts/access-log.js';
import { chainLoggers, createAccessLogger } from '../log/access-log.js';
import { createErrorStream } from '../log/error-stream.js';
import type { RunnerContext } from '../response/runner-context.js';
import {
  type HandlerOptions,
  type ResolvedHandlerOptions,
  resolveHandlerOptions,
} from './options.js';

/** Everything one server (or one handler) shares across its requests. */
export interface ServerContext extends EnvironContext, RunnerContext {
  readonly app: Application;
  readonly options: ResolvedHandlerOptions;
  readonly trust: TrustPredicate | undefined;
  readonly log: AccessLogger | undefined;
}

/** Checks the options once and builds the shared per-server state. */
export function createServerContext(app: Application, options: HandlerOptions = {}): ServerContext {
  if (typeof app !== 'function')
    throw new TypeError('@tsgi/node: app must be a function (environ, startResponse)');
  const resolved = resolveHandlerOptions(options);
  return {
    app,
    options: resolved,
    errors: createErrorStream(options.errors),
    trust: compileTrust(options.trustProxy),
    debug: resolved.debug,
    log: chainLoggers(
      createAccessLogger(options.accessLog, options.accessLogStream),
      options.metrics ? options.metrics.record : undefined,
    ),
    closing: false,
    idleTimeout: resolved.idleTimeout,
  };
}
