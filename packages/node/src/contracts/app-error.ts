/**
 * The environ property under which the server keeps what the application
 * threw (or its body threw) for the loggers that run after the response:
 * the metrics read it for `error_type`. A symbol, so it is no environ key
 * an application or a middleware can see by name.
 */
export const APP_ERROR: unique symbol = Symbol('tsgi.app-error');

/** Something that may carry an `APP_ERROR`: an environ, or a log request. */
export interface MaybeFailed {
  [APP_ERROR]?: unknown;
}
