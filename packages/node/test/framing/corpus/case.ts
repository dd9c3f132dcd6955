/** One request of the framing corpus, and what each server answers to it. */
export interface FramingCase {
  /** What the request does, as the errors page's table shows it. */
  readonly name: string;
  /** The section it tests, e.g. `RFC 9112 §6.1`. */
  readonly rfc: string;
  /** The bytes sent (latin1). */
  readonly request: string;
  /** What `@tsgi/node` answers. */
  readonly tsgi: readonly number[];
  /** For the errors page's table: raw `node:http`'s outcome, when it differs from `tsgi`. */
  readonly node?: readonly number[];
}
