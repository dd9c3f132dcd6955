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
export { jsonResponse } from './json-response.js';
export { type Rule, type RuleEnforcer, type RuleId, rules } from './rules.js';
export { statusLine, statusText } from './status.js';
export { type ValidateOptions, validate } from './validate/index.js';
