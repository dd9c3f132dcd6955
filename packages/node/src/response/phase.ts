/**
 * Where one exchange (request/response) is. The phase only moves forward,
 * and one field holds it: "how far did we get" is a comparison, e.g.
 * `phase >= Phase.Ended` is "nothing more goes to the client". (An enum, so
 * the bundler writes the numbers into the comparisons.)
 */
export enum Phase {
  /** Nothing sent yet: the app may still call `startResponse` (again with `excInfo`). */
  Started = 0,
  /** The status line and headers went to the sink; body bytes may follow. */
  HeadSent = 1,
  /** `sink.end()` or `sink.destroy()` was called: nothing more goes to the client. */
  Ended = 2,
  /** Over: the body is closed and the access log written. */
  Finished = 3,
  /** Over because the client went away before the response ended (logged as 499). */
  Gone = 4,
}
