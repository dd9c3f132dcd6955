import {
  type Application,
  concatBytes,
  isProblem,
  RequestBodyError,
  type ResponseBody,
  textResponseParts,
} from '@tsgi/spec';
import { streamResponse } from './app-body-stream.js';
import { buildEnviron } from './environ-builder.js';
import type { ErrorLog } from './error-log.js';
import { RequestErrors } from './error-log.js';
import { EMPTY_INPUT, makeInput } from './in-process-input.js';
import type { OpenStreams, OutgoingRequest, Transport } from './outgoing-request.js';
import { TestResponse } from './response.js';
import {
  bodyOrThrow,
  checkLength,
  drain,
  noBodyAllowed,
  ResponseCollector,
} from './response-collector.js';

const EMPTY = new Uint8Array(0);

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
export function plainResponse(
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
