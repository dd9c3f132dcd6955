export { cors } from './cors.js';
export type { CorsOptions, OriginFunction, OriginOption } from './options.js';
