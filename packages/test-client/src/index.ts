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
} from './options.js';
export { type BodyStream, TestResponse, type TestResponseInit } from './response.js';
