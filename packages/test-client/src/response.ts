import type { HeaderList } from '@tsgi/spec';
import { concatBytes } from '@tsgi/spec';

const decoder = new TextDecoder();
const EMPTY = new Uint8Array(0);

/**
 * A response body still arriving. `next()` pulls the next chunk; the source
 * closes itself once it ends or fails, and `close()` stops it early (idempotent).
 */
export interface BodyStream {
  next(): Promise<IteratorResult<Uint8Array, undefined>>;
  close(): Promise<void>;
}

/** What a transport hands to {@link TestResponse}. */
export interface TestResponseInit {
  status: number;
  statusText: string;
  /** The raw header pairs (in-process), or… */
  headerList?: HeaderList;
  /** …the `Headers` of a fetch response. */
  headers?: Headers;
  /** The whole body, when read eagerly. */
  bytes?: Uint8Array;
  /** The body still arriving, with `{ stream: true }`. */
  stream?: BodyStream;
  /** The absolute URL that answered. */
  url: string;
  /** In-process: what the app writes to `tsgi.errors` during this request. */
  errors?: { readonly text: string };
}

/**
 * The answer to one request, the same in both modes. By default the body is
 * already read; with `{ stream: true }` it arrives through `body`.
 */
export class TestResponse {
  /** The status code, e.g. `200`. */
  readonly status: number;
  /** The reason phrase, e.g. `"OK"`. */
  readonly statusText: string;
  /** The absolute URL of the request that produced this response (the last one, after redirects). */
  readonly url: string;
  /** Whether redirects were followed to get here. */
  redirected = false;
  #errors: { readonly text: string } | undefined;
  #headerList: HeaderList | undefined;
  #headers: Headers | undefined;
  #bytes: Uint8Array | undefined;
  #stream: BodyStream | undefined;
  #reading = false;

  constructor(init: TestResponseInit) {
    this.status = init.status;
    this.statusText = init.statusText;
    this.url = init.url;
    this.#errors = init.errors;
    this.#headerList = init.headerList;
    this.#headers = init.headers;
    this.#bytes = init.bytes;
    this.#stream = init.stream;
  }

  /** In-process: what the app wrote to `tsgi.errors` while handling this request (`""` over HTTP). */
  get errors(): string {
    return this.#errors?.text ?? '';
  }

  /** The headers, case-insensitive, with `getSetCookie()` for repeated `Set-Cookie`. */
  get headers(): Headers {
    if (this.#headers === undefined) {
      const headers = new Headers();
      for (const [name, value] of this.#headerList ?? []) headers.append(name, value);
      this.#headers = headers;
    }
    return this.#headers;
  }

  /** The headers as ordered `[name, value]` pairs, exactly as the app sent them in-process. */
  get headerList(): HeaderList {
    if (this.#headerList === undefined) {
      const list: HeaderList = [];
      for (const [name, value] of this.#headers ?? []) list.push([name, value]);
      this.#headerList = list;
    }
    return this.#headerList;
  }

  /** Whether the status is in the 200–299 range, as in `fetch`. */
  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  /** Whether the body is still streaming (only with `{ stream: true }`, until read or closed). */
  get streaming(): boolean {
    return this.#stream !== undefined;
  }

  /**
   * The body as byte chunks. With `{ stream: true }` the chunks come as the app
   * (or server) produces them; breaking out of the loop closes the body.
   * A streamed body can be iterated once.
   */
  get body(): AsyncIterable<Uint8Array> {
    const stream = this.#stream;
    if (stream === undefined) {
      const bytes = this.#bytes ?? EMPTY;
      return {
        async *[Symbol.asyncIterator]() {
          if (bytes.byteLength > 0) yield bytes;
        },
      };
    }
    const chunks: Uint8Array[] = [];
    const claim = () => this.#claim();
    const finish = () => {
      this.#bytes = concatBytes(chunks);
      this.#stream = undefined;
    };
    return {
      async *[Symbol.asyncIterator]() {
        claim();
        let ended = false;
        try {
          for (;;) {
            const next = await stream.next();
            if (next.done) break;
            chunks.push(next.value);
            yield next.value;
          }
          ended = true;
          finish();
        } finally {
          if (!ended) await stream.close();
        }
      },
    };
  }

  /** The whole body. */
  async bytes(): Promise<Uint8Array> {
    const stream = this.#stream;
    if (stream === undefined) return this.#bytes ?? EMPTY;
    this.#claim();
    const chunks: Uint8Array[] = [];
    try {
      for (;;) {
        const next = await stream.next();
        if (next.done) break;
        chunks.push(next.value);
      }
    } catch (error) {
      await stream.close();
      throw error;
    }
    this.#bytes = concatBytes(chunks);
    this.#stream = undefined;
    return this.#bytes;
  }

  /** The body decoded as UTF-8. */
  async text(): Promise<string> {
    return decoder.decode(await this.bytes());
  }

  /** The body parsed as JSON; a body that is not JSON throws an error quoting it. */
  async json<T = unknown>(): Promise<T> {
    const text = await this.text();
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      const shown = text.length > 200 ? `${text.slice(0, 200)}…` : text;
      throw new SyntaxError(
        `response body is not JSON (status ${this.status}, content-type ${JSON.stringify(
          this.headers.get('content-type'),
        )}): ${JSON.stringify(shown)}`,
        { cause: error },
      );
    }
  }

  /** Stops a streamed body early, so the app's `close()` runs. Does nothing once the body is read. */
  async close(): Promise<void> {
    const stream = this.#stream;
    if (stream === undefined) return;
    this.#stream = undefined;
    this.#bytes = EMPTY;
    await stream.close();
  }

  /** `await using response = …` closes a streamed body at the end of the block. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #claim(): void {
    if (this.#reading) {
      throw new TypeError('test-client: this streamed response body is already being read');
    }
    this.#reading = true;
  }
}
