import type { HeaderList, ResponseBody, StartResponse, Write } from '@tsgi/spec';

const WRITTEN: Promise<void> = Promise.resolve();
const STATUS_LINE = /^[1-9]\d\d [^\r\n]*$/;

/**
 * Plays the server's side of one response: `startResponse`, `write`, and the
 * body chunks, with the rules a server enforces (startResponse first, once
 * unless `excInfo` replaces it before anything was sent, chunks are bytes).
 */
export class ResponseCollector {
  status: string | undefined;
  headers: HeaderList | undefined;
  /** Whether body bytes have gone out, after which headers can no longer change. */
  sent = false;
  chunks: Uint8Array[] = [];
  length = 0;

  startResponse: StartResponse = (status, headers, excInfo) => {
    if (excInfo !== undefined && excInfo !== null) {
      if (this.sent) throw excInfo;
    } else if (this.status !== undefined) {
      throw new Error(
        `startResponse was called a second time (${JSON.stringify(status)} after ${JSON.stringify(this.status)}) without excInfo`,
      );
    }
    if (typeof status !== 'string' || !STATUS_LINE.test(status)) {
      throw new TypeError(
        `startResponse: status must look like "200 OK", got ${JSON.stringify(status)}`,
      );
    }
    if (!Array.isArray(headers)) {
      throw new TypeError('startResponse: headers must be an array of [name, value] pairs');
    }
    this.status = status;
    this.headers = headers;
    return this.write;
  };

  write: Write = (chunk) => {
    this.push(chunk, true);
    return WRITTEN;
  };

  push(chunk: unknown, copy: boolean): void {
    if (!(chunk instanceof Uint8Array)) {
      throw new TypeError(
        `the app's response body produced ${chunk === null ? 'null' : typeof chunk}; TSGI body chunks must be Uint8Array`,
      );
    }
    if (this.status === undefined) {
      throw new Error('the app produced body bytes before calling startResponse');
    }
    if (chunk.byteLength === 0) return;
    this.sent = true;
    this.chunks.push(copy ? chunk.slice() : chunk);
    this.length += chunk.byteLength;
  }
}

export async function closeBody(body: ResponseBody): Promise<void> {
  if (typeof body.close === 'function') await body.close();
}

export function bodyOrThrow(body: unknown): ResponseBody {
  if (body === null || typeof body !== 'object') {
    throw new TypeError(
      `the app returned ${body === null ? 'null' : typeof body} instead of a response body (an iterable of Uint8Array)`,
    );
  }
  return body as ResponseBody;
}

/** Drains a body into the collector, closing it whatever happens; errors come out as thrown. */
export async function drain(body: ResponseBody, collector: ResponseCollector): Promise<void> {
  let failure: unknown;
  let failed = false;
  try {
    if (Array.isArray(body)) {
      for (let i = 0; i < body.length; i++) collector.push(body[i], false);
    } else if (typeof (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === 'function') {
      for await (const chunk of body as AsyncIterable<Uint8Array>) collector.push(chunk, true);
    } else if (typeof (body as Iterable<Uint8Array>)[Symbol.iterator] === 'function') {
      for (const chunk of body as Iterable<Uint8Array>) collector.push(chunk, true);
    } else {
      throw new TypeError('the app returned a body that is neither iterable nor async iterable');
    }
  } catch (error) {
    failed = true;
    failure = error;
  }
  try {
    await closeBody(body);
  } catch (error) {
    if (!failed) throw error;
  }
  if (failed) throw failure;
}

export function noBodyAllowed(method: string, code: number): boolean {
  return method === 'HEAD' || code === 204 || code === 304 || code < 200;
}

/** Checks a finished body against its `Content-Length`, as a server would. */
export function checkLength(
  headers: HeaderList,
  method: string,
  code: number,
  length: number,
): void {
  if (noBodyAllowed(method, code)) return;
  for (const [name, value] of headers) {
    if (name.length === 14 && name.toLowerCase() === 'content-length') {
      if (!/^\d+$/.test(value) || Number(value) !== length) {
        throw new Error(
          `the app sent Content-Length: ${value} but a body of ${length} bytes; a server would cut the response or hang`,
        );
      }
      return;
    }
  }
}
