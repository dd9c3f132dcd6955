export type { AccessLogger } from './access-log.js';
export { createAccessLogger } from './access-log.js';
export { createHandler, type TsgiHandler } from './create-handler.js';
export { createServer } from './create-server.js';
export { buildEnviron, type EnvironContext, RequestProblem } from './environ.js';
export { createErrorStream } from './error-stream.js';
export { emptyInput, RequestInput } from './input.js';
export type {
  AccessLogFormat,
  HandlerOptions,
  ListenOptions,
  ResolvedHandlerOptions,
  ServeOptions,
  ServerOptions,
} from './options.js';
export { defaults } from './options.js';
export { type RunnerContext, runApplication } from './response/run-application.js';
export type { ResponseSink } from './response/sink.js';
export { type CloseOptions, serve, type TsgiAddress, type TsgiServer } from './serve.js';
export { createServerContext, type ServerContext } from './server-context.js';
export { compileTrust, readForwarded, type TrustPredicate } from './trust-proxy.js';
export { encodePacket, MalformedPacketError, parseVars } from './uwsgi/packet.js';
export { UwsgiResponse } from './uwsgi/response.js';
export {
  closeUwsgiServer,
  createUwsgiServer,
  type UwsgiServer,
  type UwsgiServerOptions,
} from './uwsgi/server.js';
