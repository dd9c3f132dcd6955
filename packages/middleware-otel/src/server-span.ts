import {
  type Context,
  context,
  type Exception,
  type Span,
  SpanStatusCode,
} from '@opentelemetry/api';
import {
  type Application,
  type BodyOutcome,
  type Environ,
  onClose,
  type ResponseBody,
  type StartResponse,
} from '@tsgi/spec';
import { requestAttributes } from './request-attributes.js';

/**
 * The environ key under which the app finds the request's OpenTelemetry
 * `Context` (the server span in it): owner `otel`, as SPEC ext.1 asks.
 */
export const OTEL_CONTEXT_KEY = 'otel.context';

/** `error.type` of a thrown value: its class name, or `_OTHER` when it has none. */
function errorType(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const name = (error as { constructor?: { name?: unknown } }).constructor?.name;
    if (typeof name === 'string' && name !== '' && name !== 'Object') return name;
  }
  return '_OTHER';
}

/** What `span.recordException` takes: an error-like object as it is, anything else as text. */
function asException(error: unknown): Exception {
  return typeof error === 'object' && error !== null ? (error as Exception) : String(error);
}

/** The message of a thrown value, for the span status. */
function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * One recording server span, from before the app runs until the body is
 * closed: it notes the status the app answered, the errors on the way, and
 * ends the span once.
 */
export class ServerSpan {
  private status = 0;
  private error: unknown = undefined;
  /** An error was seen: thrown by the app or its body, or passed to startResponse as excInfo. */
  private failed = false;
  /** The app or its body threw: the response did not go out as the app meant it. */
  private broken = false;

  constructor(
    private readonly span: Span,
    private readonly environ: Environ,
    private readonly method: string,
  ) {
    span.setAttributes(requestAttributes(environ, method));
  }

  /** Runs `app` with `active` as the active context and watches its response. */
  run(
    app: Application,
    active: Context,
    startResponse: StartResponse,
  ): ResponseBody | Promise<ResponseBody> {
    this.environ[OTEL_CONTEXT_KEY] = active;
    const start: StartResponse = (status, headers, excInfo) => {
      this.status = Number.parseInt(status, 10);
      // An error passed on as excInfo was caught inside the app (catchErrors, the router).
      if (excInfo !== undefined) this.noteError(excInfo);
      return startResponse(status, headers, excInfo);
    };
    let result: ResponseBody | Promise<ResponseBody>;
    try {
      result = context.with(active, app, undefined, this.environ, start);
    } catch (error) {
      this.appFailed(error);
      throw error;
    }
    if (typeof (result as Promise<ResponseBody>).then === 'function') {
      return (result as Promise<ResponseBody>).then(
        (body) => this.respond(body),
        (error: unknown) => {
          this.appFailed(error);
          throw error;
        },
      );
    }
    return this.respond(result as ResponseBody);
  }

  /** The app returned its body: name the span after the route, end it when the body is closed. */
  private respond(body: ResponseBody): ResponseBody {
    this.nameAfterRoute();
    return onClose(body, (outcome) => this.bodyDone(outcome));
  }

  /** `METHOD route` and `http.route`, once the router has set `tsgi.route` on the environ. */
  private nameAfterRoute(): void {
    const route = this.environ['tsgi.route'] as { pattern?: unknown } | undefined;
    const pattern = route?.pattern;
    if (typeof pattern !== 'string') return;
    this.span.updateName(`${this.method === '_OTHER' ? 'HTTP' : this.method} ${pattern}`);
    this.span.setAttribute('http.route', pattern);
  }

  /** Records the first error seen as an exception event; the status is decided at the end. */
  private noteError(error: unknown): void {
    if (this.failed) return;
    this.failed = true;
    this.error = error;
    this.span.recordException(asException(error));
  }

  /** The app threw or rejected before returning a body: the server answers for it. */
  private appFailed(error: unknown): void {
    this.nameAfterRoute();
    this.noteError(error);
    this.broken = true;
    this.status = 0; // the server answers in its place; what it sends is not known here
    this.end();
  }

  /** The server closed the body: sent whole, cut short by the client, or failed. */
  private bodyDone(outcome: BodyOutcome): void {
    if (outcome.error !== undefined) {
      this.noteError(outcome.error);
      this.broken = true;
    } else if (!outcome.completed) {
      this.span.setAttribute('tsgi.response.aborted', true);
    }
    this.end();
  }

  /**
   * Sets the response attributes and the status, then ends the span. Status
   * ERROR for a 5xx and for an error that kept the response from being sent
   * whole: `error.type` is then the error's class, or else the status code.
   * A 4xx is the client's error and leaves the status unset, as the
   * conventions ask for server spans.
   */
  private end(): void {
    const { span, status } = this;
    if (status !== 0) span.setAttribute('http.response.status_code', status);
    if (this.broken || status >= 500) {
      span.setAttribute('error.type', this.failed ? errorType(this.error) : String(status));
      span.setStatus({
        code: SpanStatusCode.ERROR,
        message: this.failed ? messageOf(this.error) : undefined,
      });
    }
    span.end();
  }
}
