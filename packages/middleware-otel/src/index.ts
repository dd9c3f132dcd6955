export { environGetter } from './environ-getter.js';
export type { OtelOptions } from './options.js';
export { TRACER_NAME } from './options.js';
export { otel } from './otel.js';
export { OTEL_CONTEXT_KEY } from './server-span.js';
