/**
 * `@tsgi/node`: what an application author and an operator use. Serve an app
 * (`serve`), run it on any protocol (`createListener`), mount it in a
 * `node:http` server of your own (`createServer`, `createHandler`), and the
 * defaults every option falls back to. The rest lives in subpaths:
 * `@tsgi/node/metrics`, `@tsgi/node/uwsgi`, `@tsgi/node/fastcgi` and
 * `@tsgi/node/internals`.
 */
export type { AccessLogFormat, AccessLogger, LogRequest } from './contracts/access-log.js';
export { type Protocol, protocols } from './contracts/protocol.js';
export type {
  ListenerRequest,
  RequestEvents,
  RequestMetrics,
} from './contracts/request-events.js';
export { createHandler, type TsgiHandler } from './http/create-handler.js';
export { createServer } from './http/create-server.js';
export type { DrainReport } from './lifecycle/drain.js';
export type { TsgiAddress } from './listener/address.js';
export { createListener, type Listener, type ListenMode } from './listener/listener.js';
export { type CloseOptions, serve, type TsgiServer } from './listener/serve.js';
export { defaults } from './options/defaults.js';
export type {
  HandlerOptions,
  ListenOptions,
  ResolvedHandlerOptions,
  ServeOptions,
  ServerOptions,
} from './options/options.js';
export type { CertReqs, TlsOptions } from './tls/options.js';
export { TlsFileError } from './tls/secure-context.js';
