import type { ErrorStream } from '@tsgi/spec';

/**
 * Everything apps wrote to `tsgi.errors` through one client, kept as text so a
 * test can assert on it (`client.errors`), optionally echoed to stderr.
 */
export class ErrorLog {
  #text = '';
  readonly echo: boolean;

  constructor(echo: boolean) {
    this.echo = echo;
  }

  /** All text written so far. */
  get text(): string {
    return this.#text;
  }

  /** Forgets the text written so far. */
  clear(): void {
    this.#text = '';
  }

  /** Appends text (and echoes it when asked to). */
  append(message: string): void {
    this.#text += message;
    if (this.echo) process.stderr.write(message);
  }
}

/** The `tsgi.errors` of one request: writes land in the client's log and in this request's own text. */
export class RequestErrors implements ErrorStream {
  #log: ErrorLog;
  /** What this request wrote. */
  text = '';

  constructor(log: ErrorLog) {
    this.#log = log;
  }

  write(message: string): void {
    if (typeof message !== 'string') {
      throw new TypeError(`tsgi.errors.write() takes a string, got ${typeof message}`);
    }
    this.text += message;
    this.#log.append(message);
  }

  flush(): void {}
}
