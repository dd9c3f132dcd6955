export {
  compileTrust,
  type EnvironContext,
  RequestProblem,
  readForwarded,
  type TrustPredicate,
} from '@tsgi/spec';
export { defaults } from './defaults.js';
export { decodeParams, encodeParams, MalformedRecordError } from './fastcgi/params.js';
export { MAX_PARAMS_SIZE } from './fastcgi/request.js';
export { FastcgiResponse } from './fastcgi/response.js';
export { closeFastcgiServer, createFastcgiServer } from './fastcgi/server.js';
export { createHandler, type TsgiHandler } from './http/create-handler.js';
export { createServer } from './http/create-server.js';
export { emptyInput, RequestInput } from './http/input.js';
export { environFromRequest } from './http/request-head.js';
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
export type { AccessLogger } from './log/access-log.js';
export { createAccessLogger } from './log/access-log.js';
export { createErrorStream } from './log/error-stream.js';
export { metricsApplication } from './metrics/application.js';
export { MetricsCollector, methodClass } from './metrics/collector.js';
export { EXPOSITION_CONTENT_TYPE, renderExposition } from './metrics/exposition.js';
export { METRICS, type MetricDefinition, type Series } from './metrics/registry.js';
export { DURATION_BUCKETS, type ProcessSample, type RequestCounts } from './metrics/sample.js';
export { type Stats, type StatsCounts, type StatsWorker, statsOf } from './metrics/stats.js';
export {
  EXIT_REASONS,
  type ExitReason,
  type MetricsSource,
  type MetricsView,
  type WorkerView,
} from './metrics/view.js';
export type {
  AccessLogFormat,
  HandlerOptions,
  ListenOptions,
  ResolvedHandlerOptions,
  ServeOptions,
  ServerOptions,
} from './options.js';
export { type RunnerContext, runApplication } from './response/run-application.js';
export type { ResponseSink } from './response/sink.js';
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
export type { WireSocket } from './wire/wire-socket.js';
