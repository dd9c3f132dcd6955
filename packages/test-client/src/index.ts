export { createClient, TestClient } from './client.js';
export type { Cookie } from './cookie-jar.js';
export { CookieJar } from './cookie-jar.js';
export type {
  BodyInput,
  ClientOptions,
  FormInput,
  HeadersInput,
  MultipartFile,
  MultipartInput,
  MultipartValue,
  QueryInput,
  RequestOptions,
  WebSocketOptions,
} from './options.js';
export { type BodyStream, TestResponse, type TestResponseInit } from './response.js';
export { WebSocketDenied } from './websocket/denied.js';
export {
  type ReceiveOptions,
  TestWebSocket,
  type WebSocketLink,
} from './websocket/test-websocket.js';
