export type { RequestIdOptions } from './options.js';
export { requestId } from './request-id.js';
export { isValidRequestId, REQUEST_ID_PATTERN } from './request-id-pattern.js';
