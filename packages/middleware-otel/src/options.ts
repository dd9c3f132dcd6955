import { type Tracer, type TracerProvider, trace } from '@opentelemetry/api';
import type { Environ } from '@tsgi/spec';

/** The instrumentation scope name spans are recorded under. */
export const TRACER_NAME = '@tsgi/middleware-otel';

/** Options of {@link otel}. Every one is optional. */
export interface OtelOptions {
  /**
   * Where the spans go. Default: the global provider of `@opentelemetry/api`,
   * the one an SDK registers (`trace.setGlobalTracerProvider(provider)`, or
   * `NodeSDK`'s `start()`). The tracer is taken once, when `otel()` is called;
   * the global provider hands on to a provider registered later, so the order
   * of set-up does not matter.
   */
  tracerProvider?: TracerProvider;
  /**
   * Requests to leave untraced, such as health checks: called with the
   * environ before anything else; `true` passes the request to the app with
   * no span and no `otel.context`.
   */
  ignore?: (environ: Environ) => boolean;
}

/** Options after defaults and checks: what the middleware runs on. */
export interface ResolvedOtelOptions {
  tracer: Tracer;
  ignore: ((environ: Environ) => boolean) | undefined;
}

/**
 * Applies defaults and rejects bad options with a `TypeError` that names the
 * option, so a mistake shows when the app is built, not at the first request.
 */
export function resolveOtelOptions(options: OtelOptions = {}): ResolvedOtelOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`otel: options must be an object, got ${String(options)}`);
  }
  const provider = options.tracerProvider ?? trace.getTracerProvider();
  if (
    typeof provider !== 'object' ||
    provider === null ||
    typeof provider.getTracer !== 'function'
  ) {
    throw new TypeError(
      `otel: "tracerProvider" must be an OpenTelemetry TracerProvider (an object with getTracer()), got ${String(provider)}`,
    );
  }
  const { ignore } = options;
  if (ignore !== undefined && typeof ignore !== 'function') {
    throw new TypeError(
      `otel: "ignore" must be a function (environ) => boolean, got ${String(ignore)}`,
    );
  }
  return { tracer: provider.getTracer(TRACER_NAME), ignore };
}
