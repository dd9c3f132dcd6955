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

/** The request body is not the JSON the application expects: HTTP 400. */
export class InvalidJsonError extends RequestBodyError {
  override name = 'InvalidJsonError';

  constructor(message: string, options?: ErrorOptions) {
    super(400, message, options);
  }
}

/** The request's `Content-Type` is not one the application accepts: HTTP 415. */
export class UnsupportedMediaTypeError extends RequestBodyError {
  override name = 'UnsupportedMediaTypeError';
  /** The `Content-Type` the request had, or `undefined` when it had none. */
  readonly contentType: string | undefined;

  constructor(contentType: string | undefined, expected = 'application/json') {
    super(
      415,
      contentType === undefined
        ? `request has no Content-Type; expected ${expected}`
        : `request Content-Type ${JSON.stringify(contentType)} is not ${expected}`,
    );
    this.contentType = contentType;
  }
}

/**
 * The request's `Content-Type` is JSON but names a `charset` other than UTF-8
 * (JSON is UTF-8, RFC 8259 §8.1): HTTP 415. `message` names the charset.
 */
export class UnsupportedCharsetError extends UnsupportedMediaTypeError {
  override name = 'UnsupportedCharsetError';
  /** The charset the request named, as sent (`latin1`). */
  readonly charset: string;

  constructor(contentType: string, charset: string) {
    super(contentType);
    this.message = `request Content-Type ${JSON.stringify(contentType)} has charset ${JSON.stringify(charset)}; only UTF-8 is accepted`;
    this.charset = charset;
  }
}
