/** A request refused before the application runs: status and a short text naming the problem. */
export class RequestProblem {
  /** The HTTP status to answer with (400, 414 or 431). */
  readonly status: number;
  /** What is wrong, for the response body. */
  readonly message: string;
  /** Makes the type nominal: a look-alike object literal is not a problem (see `isProblem`). */
  declare private readonly nominal: never;
  constructor(status: number, message: string) {
    this.status = status;
    this.message = message;
  }
}

/** True when `buildEnviron` refused the request. */
export function isProblem(value: unknown): value is RequestProblem {
  // instanceof, not a property probe: environs come in many shapes.
  return value instanceof RequestProblem;
}
