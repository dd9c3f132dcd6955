import {
  type Application,
  type HeaderList,
  isProblem,
  RequestBodyError,
  type ResponseBody,
  type StartResponse,
  textResponseParts,
  type Write,
} from '@tsgi/spec';
import { buildEnviron } from './environ-builder.js';
import type { ErrorLog } from './error-log.js';
import { RequestErrors } from './error-log.js';
import { BytesInput, StreamInput } from './input-stream.js';
import type { OpenStreams, OutgoingRequest, Transport } from './outgoing-request.js';
import { concatBytes } from './request-body.js';
import { type BodyStream, TestResponse } from './response.js';

const EMPTY = new Uint8Array(0);
const EMPTY_INPUT = new BytesInput(EMPTY);
const WRITTEN: Promise<void> = Promise.resolve();
const STATUS_LINE = /^[1-9]\d\d [^\r\n]*$/;

type Input = BytesInput | StreamInput;

/**
 * Plays the server's side of one response: `startResponse`, `write`, and the
 * body chunks, with the rules a server enforces (startResponse first, once
 * unless `excInfo` replaces it before anything was sent, chunks are bytes).
 */
class ResponseCollector {
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

async function closeBody(body: ResponseBody): Promise<void> {
  if (typeof body.close === 'function') await body.close();
}

function bodyOrThrow(body: unknown): ResponseBody {
  if (body === null || typeof body !== 'object') {
    throw new TypeError(
      `the app returned ${body === null ? 'null' : typeof body} instead of a response body (an iterable of Uint8Array)`,
    );
  }
  return body as ResponseBody;
}

/** Drains a body into the collector, closing it whatever happens; errors come out as thrown. */
async function drain(body: ResponseBody, collector: ResponseCollector): Promise<void> {
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

function noBodyAllowed(method: string, code: number): boolean {
  return method === 'HEAD' || code === 204 || code === 304 || code < 200;
}

/** Checks a finished body against its `Content-Length`, as a server would. */
function checkLength(headers: HeaderList, method: string, code: number, length: number): void {
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

function makeInput(request: OutgoingRequest): Input {
  const body = request.body;
  if (body === undefined) return EMPTY_INPUT;
  if (body instanceof Uint8Array) return new BytesInput(body);
  let declared: number | undefined;
  for (const [name, value] of request.headers) {
    if (name.toLowerCase() === 'content-length') declared = Number(value);
  }
  return new StreamInput(body, declared);
}

/** A streamed response body: pulls the app's iterator on demand and closes everything exactly once. */
class AppBodyStream implements BodyStream {
  #iterator: Iterator<unknown> | AsyncIterator<unknown>;
  #body: ResponseBody;
  #collector: ResponseCollector;
  #input: Input;
  #open: OpenStreams;
  #method: string;
  #code: number;
  #closed = false;

  constructor(
    iterator: Iterator<unknown> | AsyncIterator<unknown>,
    body: ResponseBody,
    collector: ResponseCollector,
    input: Input,
    open: OpenStreams,
    method: string,
    code: number,
  ) {
    this.#iterator = iterator;
    this.#body = body;
    this.#collector = collector;
    this.#input = input;
    this.#open = open;
    this.#method = method;
    this.#code = code;
    open.add(this);
  }

  async next(): Promise<IteratorResult<Uint8Array, undefined>> {
    const queue = this.#collector.chunks;
    for (;;) {
      const queued = queue.shift();
      if (queued !== undefined) return { done: false, value: queued };
      if (this.#closed) return { done: true, value: undefined };
      let step: IteratorResult<unknown>;
      try {
        step = await this.#iterator.next();
        if (step.done) {
          const collector = this.#collector;
          checkLength(collector.headers!, this.#method, this.#code, collector.length);
        } else {
          this.#collector.push(step.value, true);
          continue;
        }
      } catch (error) {
        await this.#finish(false).catch(() => {});
        throw error;
      }
      await this.#finish(true);
    }
  }

  async close(): Promise<void> {
    await this.#finish(false);
  }

  async #finish(ended: boolean): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#open.delete(this);
    this.#collector.chunks.length = ended ? this.#collector.chunks.length : 0;
    try {
      if (!ended) await this.#iterator.return?.();
    } finally {
      try {
        await closeBody(this.#body);
      } finally {
        await this.#input.dispose();
      }
    }
  }
}

/** Options of {@link inProcessTransport}. */
export interface InProcessOptions {
  scriptName: string;
  log: ErrorLog;
  open: OpenStreams;
}

/**
 * Calls the app directly, no socket: builds the environ, plays `startResponse`,
 * reads the body (or streams it with `{ stream: true }`), always calls `close()`.
 * An error thrown by the app comes out unchanged, stack and all, except a
 * `RequestBodyError` before any body bytes, which a server answers with its status.
 */
export function inProcessTransport(app: Application, options: InProcessOptions): Transport {
  const { scriptName, log, open } = options;
  return async function send(request: OutgoingRequest): Promise<TestResponse> {
    const input = makeInput(request);
    const errors = new RequestErrors(log);
    const environ = buildEnviron(request, scriptName, input, errors);
    const method = request.method;
    const url = request.location.origin.href + request.location.target;
    if (isProblem(environ)) {
      // Refused before the app runs, as the server would: its status and a text body.
      if (input !== EMPTY_INPUT) await input.dispose();
      return plainResponse(environ.status, environ.message, method, url, errors);
    }
    const collector = new ResponseCollector();
    let body: ResponseBody;
    try {
      let result = app(environ, collector.startResponse);
      if (result != null && typeof (result as Promise<ResponseBody>).then === 'function') {
        result = await result;
      }
      body = bodyOrThrow(result);
    } catch (error) {
      if (input !== EMPTY_INPUT) await input.dispose();
      if (error instanceof RequestBodyError)
        return plainResponse(error.status, error.message, method, url, errors);
      throw error;
    }

    if (request.stream && method !== 'HEAD') {
      try {
        return await streamResponse(body, collector, input, open, method, url, errors);
      } catch (error) {
        if (error instanceof RequestBodyError && !collector.sent) {
          return plainResponse(error.status, error.message, method, url, errors);
        }
        throw error;
      }
    }

    try {
      await drain(body, collector);
    } catch (error) {
      if (error instanceof RequestBodyError && !collector.sent) {
        return plainResponse(error.status, error.message, method, url, errors);
      }
      throw error;
    } finally {
      if (input !== EMPTY_INPUT) await input.dispose();
    }
    const status = collector.status;
    if (status === undefined)
      throw new Error('the app returned a body without calling startResponse');
    const code = Number(status.slice(0, 3));
    const headers = collector.headers!;
    checkLength(headers, method, code, collector.length);
    return new TestResponse({
      status: code,
      statusText: status.slice(4),
      headerList: headers,
      bytes: noBodyAllowed(method, code) ? EMPTY : concatBytes(collector.chunks),
      url,
      errors,
    });
  };
}

/**
 * What a server answers by itself: a request it refuses before the app runs,
 * or a `RequestBodyError` the app throws before any body bytes went out (SPEC
 * srv.7): the status, and the message as plain text. This is how a server
 * refuses a bad request, not a bug, so it is a response, not a throw.
 */
function plainResponse(
  status: number,
  message: string,
  method: string,
  url: string,
  errors: RequestErrors,
): TestResponse {
  const parts = textResponseParts(status, `${message}\n`);
  return new TestResponse({
    status,
    statusText: parts.status.slice(4),
    headerList: parts.headers,
    bytes: method === 'HEAD' ? EMPTY : parts.body,
    url,
    errors,
  });
}

async function streamResponse(
  body: ResponseBody,
  collector: ResponseCollector,
  input: Input,
  open: OpenStreams,
  method: string,
  url: string,
  errors: RequestErrors,
): Promise<TestResponse> {
  let iterator: Iterator<unknown> | AsyncIterator<unknown>;
  try {
    if (typeof (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === 'function') {
      iterator = (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
    } else if (typeof (body as Iterable<Uint8Array>)[Symbol.iterator] === 'function') {
      iterator = (body as Iterable<Uint8Array>)[Symbol.iterator]();
    } else {
      throw new TypeError('the app returned a body that is neither iterable nor async iterable');
    }
  } catch (error) {
    await closeBody(body).catch(() => {});
    await input.dispose();
    throw error;
  }
  // The status may only be known once the body starts: pull until startResponse ran.
  while (collector.status === undefined) {
    let step: IteratorResult<unknown>;
    try {
      step = await iterator.next();
      if (!step.done) collector.push(step.value, true);
    } catch (error) {
      await closeBody(body).catch(() => {});
      await input.dispose();
      throw error;
    }
    if (step.done) {
      await closeBody(body);
      await input.dispose();
      throw new Error('the app returned a body without calling startResponse');
    }
  }
  const status = collector.status;
  const code = Number(status.slice(0, 3));
  const stream = new AppBodyStream(iterator, body, collector, input, open, method, code);
  return new TestResponse({
    status: code,
    statusText: status.slice(4),
    headerList: collector.headers!,
    stream,
    url,
    errors,
  });
}
