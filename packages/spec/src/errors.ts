/**
 * Thrown by `validate()` when a server or an application breaks a numbered
 * rule of SPEC.md. `rule` is the rule's id, e.g. `"env.3"`, and the message
 * starts with it in brackets.
 */
export class TsgiValidationError extends Error {
  override name = 'TsgiValidationError';
  /** The id of the SPEC.md rule that was broken, e.g. `"sr.2"`. */
  readonly rule: string;

  constructor(rule: string, message: string) {
    super(`[${rule}] ${message}`);
    this.rule = rule;
  }
}

/**
 * A request body the application cannot use. `status` is the HTTP status a
 * server or app answers with (400, 413, 415), and `message` names the problem
 * in words fit for the client.
 */
export class RequestBodyError extends Error {
  override name = 'RequestBodyError';
  /** The HTTP status code this error maps to. */
  readonly status: number;

  constructor(status: number, message: string, options?: ErrorOptions) {
    super(message, options);
    this.status = status;
  }
}

/** The request body is larger than the limit: HTTP 413. */
export class BodyTooLargeError extends RequestBodyError {
  override name = 'BodyTooLargeError';
  /** The limit in bytes that the body went past. */
  readonly limit: number;

  constructor(limit: number) {
    super(413, `request body is larger than the limit of ${limit} bytes`);
    this.limit = limit;
  }
}
