export type {
  Application,
  HeaderList,
  Middleware,
  ResponseBody,
  StartResponse,
  Write,
} from './application.js';
export type { Environ, ErrorStream, InputStream } from './environ.js';
export { BodyTooLargeError, RequestBodyError, TsgiValidationError } from './errors.js';
