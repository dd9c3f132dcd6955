/**
 * Where one exchange (request/response) is. The phase only moves forward,
 * and one field holds it: "how far did we get" is a comparison, e.g.
 * `phase >= ENDED` is "nothing more goes to the client".
 */
export type Phase =
  | typeof STARTED
  | typeof HEAD_SENT
  | typeof ENDED
  | typeof FINISHED
  | typeof GONE;

/** Nothing sent yet: the app may still call `startResponse` (again with `excInfo`). */
export const STARTED = 0;
/** The status line and headers went to the sink; body bytes may follow. */
export const HEAD_SENT = 1;
/** `sink.end()` or `sink.destroy()` was called: nothing more goes to the client. */
export const ENDED = 2;
/** Over: the body is closed and the access log written. */
export const FINISHED = 3;
/** Over because the client went away before the response ended (logged as 499). */
export const GONE = 4;
