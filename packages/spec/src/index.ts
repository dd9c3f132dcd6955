export { appendToken } from './append-token.js';
export type {
  Application,
  HeaderList,
  Middleware,
  ResponseBody,
  StartResponse,
  Write,
} from './application.js';
export {
  ContentLengthMismatch,
  checkContentLength,
  parseContentLength,
} from './content-length.js';
export type { Environ, ErrorStream, InputStream } from './environ.js';
export {
  buildEnviron,
  decodePath,
  type EnvironContext,
  type EnvironOptions,
  environKey,
  type GatewayHead,
  type HostParts,
  isProblem,
  mountSplit,
  type RequestHead,
  RequestProblem,
  splitHost,
} from './environ-builder/index.js';
export { type EnvironKeyInfo, environKeys, requiredCgiKeys } from './environ-table.js';
export { catchErrors, errorResponse } from './error-response.js';
export {
  BodyTooLargeError,
  InvalidJsonError,
  RequestBodyError,
  TsgiValidationError,
  UnsupportedCharsetError,
  UnsupportedMediaTypeError,
} from './errors.js';
export {
  ABOVE_LATIN1,
  CONTROL_EXCEPT_TAB,
  HOP_BY_HOP,
  isFieldValue,
  isQuotedString,
  isScriptName,
  isToken,
  quoteString,
  TOKEN,
} from './grammar.js';
export { head } from './head.js';
export { Headers } from './headers.js';
export { HTTP_KNOWN_METHODS, HTTP_OTHER_METHOD, telemetryMethod } from './http-methods.js';
export {
  CONNECTION_SPECIFIC_KEYS,
  connectionSpecificProblem,
  majorVersion,
} from './http2-fields.js';
export {
  BytesInput,
  concatBytes,
  StreamInput,
  type StreamInputOptions,
} from './input-stream.js';
export { jsonResponse } from './json-response.js';
export {
  flushLineBuffers,
  jsonString,
  LineBuffer,
  type LineBufferOptions,
  type LineSink,
} from './line-buffer/index.js';
export { type BodyOutcome, onClose } from './on-close.js';
export {
  DEFAULT_BODY_LIMIT,
  type ReadBodyOptions,
  type ReadJsonOptions,
  readBody,
  readJson,
  readText,
} from './read-body.js';
export { applicationUri, pathInfoUri, requestOrigin, requestUri } from './request-uri.js';
export { type Rule, type RuleEnforcer, type RuleId, rules } from './rules.js';
export { shiftPathInfo } from './shift-path-info.js';
export { type ParsedStatus, parseStatus, statusLine, statusText } from './status.js';
export { type TextResponseParts, textResponse, textResponseParts } from './text-response.js';
export {
  compileTrust,
  type ForwardedInfo,
  parseForwarded,
  readForwarded,
  type TrustPredicate,
  unmapIPv4,
} from './trust-proxy.js';
export { type ValidateOptions, validate } from './validate/index.js';
export {
  closeProblem,
  HANDSHAKE_FIELDS,
  hasToken,
  isAppCloseCode,
  isWireCloseCode,
  MAX_CLOSE_REASON_BYTES,
  offeredProtocols,
  type UpgradeFields,
  upgradeProblem,
  WEBSOCKET_VERSION,
  type WebSocketAcceptOptions,
  type WebSocketClose,
  type WebSocketConnection,
  type WebSocketMessage,
  type WebSocketUpgrade,
} from './websocket/index.js';
