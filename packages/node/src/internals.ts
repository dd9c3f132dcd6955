/**
 * `@tsgi/node/internals`: the building blocks under the listeners, for
 * writing a new transport or embedding the runner. They follow the package's
 * version like the rest, but are shaped by what the transports need: prefer
 * the main entry and the protocol subpaths where they serve.
 */
export type { Protocol } from './contracts/protocol.js';
export { environFromRequest } from './http/request-head.js';
export { type Closable, markClosing } from './lifecycle/closing.js';
export { type DrainReport, drain } from './lifecycle/drain.js';
export { type GatewayConnection, gatewayStops } from './lifecycle/gateway-connections.js';
export { lingeringClose } from './lifecycle/linger.js';
export { gatewayRequest, RequestListeners } from './lifecycle/request-events.js';
export { shutdown } from './lifecycle/shutdown.js';
export type { Transport, TransportFactory } from './lifecycle/transport.js';
export { createAccessLogger } from './log/access-log.js';
export { createErrorStream } from './log/error-stream.js';
export { createServerContext, type ServerContext } from './options/server-context.js';
export { emptyInput, RequestInput } from './request/input.js';
export { runApplication } from './response/run-application.js';
export type { RunnerContext } from './response/runner-context.js';
export type { ResponseSink } from './response/sink.js';
export { acceptConnections } from './wire/accept.js';
export type { WireSocket } from './wire/wire-socket.js';
