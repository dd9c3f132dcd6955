export {
  compileTrust,
  type EnvironContext,
  RequestProblem,
  readForwarded,
  type TrustPredicate,
} from '@tsgi/spec';
export type { AccessLogger } from './access-log.js';
export { createAccessLogger } from './access-log.js';
export { createHandler, type TsgiHandler } from './create-handler.js';
export { createServer } from './create-server.js';
export { defaults } from './defaults.js';
export { createErrorStream } from './error-stream.js';
export { environFromRequest } from './http/request-head.js';
export { emptyInput, RequestInput } from './input.js';
export type { TsgiAddress } from './listener/address.js';
export type { DrainReport } from './listener/drain.js';
export {
  createListener,
  type Listener,
  type ListenMode,
  type Protocol,
  protocols,
} from './listener/listener.js';
export type { ListenerRequest } from './listener/protocol.js';
export type {
  AccessLogFormat,
  HandlerOptions,
  ListenOptions,
  ResolvedHandlerOptions,
  ServeOptions,
  ServerOptions,
} from './options.js';
export type { ResponseSink } from './response-sink.js';
export { type RunnerContext, runApplication } from './run-application.js';
export { type CloseOptions, serve, type TsgiServer } from './serve.js';
export { createServerContext, type ServerContext } from './server-context.js';
export { encodePacket, MalformedPacketError, parseVars } from './uwsgi/packet.js';
export { UwsgiResponse } from './uwsgi/response.js';
export {
  closeUwsgiServer,
  createUwsgiServer,
  type UwsgiServer,
  type UwsgiServerOptions,
} from './uwsgi/server.js';
