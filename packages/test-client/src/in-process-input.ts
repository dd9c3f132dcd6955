import { BytesInput, StreamInput } from '@tsgi/spec';
import type { OutgoingRequest } from './outgoing-request.js';
import { chunkBytes } from './request-body.js';

/** An empty body, shared by every request without one. */
export const EMPTY_INPUT = new BytesInput(new Uint8Array(0));

/** `tsgi.input` of an in-process request. */
export type Input = BytesInput | StreamInput;

/** `tsgi.input` for the request's body: bytes as they are, a stream read on demand. */
export function makeInput(request: OutgoingRequest): Input {
  const body = request.body;
  if (body === undefined) return EMPTY_INPUT;
  if (body instanceof Uint8Array) return new BytesInput(body);
  let declared: number | undefined;
  for (const [name, value] of request.headers) {
    if (name.toLowerCase() === 'content-length') declared = Number(value);
  }
  return new StreamInput(asBytes(body), { contentLength: declared });
}

/** The request body stream's chunks as bytes (strings as UTF-8). */
async function* asBytes(source: AsyncIterable<unknown>): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) yield chunkBytes(chunk);
}
