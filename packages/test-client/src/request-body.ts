import { concatBytes } from '@tsgi/spec';
import type { MultipartFile, MultipartInput, MultipartValue, RequestOptions } from './options.js';
import { encodeQuery } from './request-target.js';

const encoder = new TextEncoder();

/** A request body ready to send: bytes (known length), a stream of chunks, or none. */
export type OutgoingBody = Uint8Array | AsyncIterable<Uint8Array> | undefined;

/** The encoded body of a request and the `Content-Type` it implies (if any). */
export interface EncodedBody {
  body: OutgoingBody;
  contentType: string | undefined;
}

const NO_BODY: EncodedBody = { body: undefined, contentType: undefined };

/**
 * Encodes whichever of `json`, `form`, `multipart` or `body` the request gives.
 * Only multipart bodies holding a `Blob` need a promise; everything else is sync.
 */
export function encodeBody(init: RequestOptions): EncodedBody | Promise<EncodedBody> {
  const { json, form, multipart, body } = init;
  const given =
    (json !== undefined ? 1 : 0) +
    (form !== undefined ? 1 : 0) +
    (multipart !== undefined ? 1 : 0) +
    (body !== undefined ? 1 : 0);
  if (given === 0) return NO_BODY;
  if (given > 1) {
    throw new TypeError('test-client: give at most one of json, form, multipart and body');
  }
  if (json !== undefined) {
    return { body: encoder.encode(JSON.stringify(json)), contentType: 'application/json' };
  }
  if (form !== undefined) {
    return {
      body: encoder.encode(encodeQuery(form)),
      contentType: 'application/x-www-form-urlencoded',
    };
  }
  if (multipart !== undefined) return encodeMultipart(multipart);
  if (typeof body === 'string') {
    return { body: encoder.encode(body), contentType: 'text/plain; charset=utf-8' };
  }
  if (body instanceof Uint8Array) return { body, contentType: undefined };
  if (body !== null && typeof body === 'object' && Symbol.asyncIterator in body) {
    return { body, contentType: undefined };
  }
  throw new TypeError(
    'test-client: body must be a Uint8Array, a string or an AsyncIterable<Uint8Array>',
  );
}

/** Bytes of one chunk of a user's body stream; strings are accepted as UTF-8. */
export function chunkBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (typeof chunk === 'string') return encoder.encode(chunk);
  throw new TypeError(
    `test-client: a request body stream yielded ${typeof chunk}, not a Uint8Array`,
  );
}

function escapeName(name: string): string {
  return name.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function isFilePart(value: unknown): value is MultipartFile {
  return typeof value === 'object' && value !== null && !(value instanceof Blob) && 'data' in value;
}

async function partBytes(data: Uint8Array | string | Blob): Promise<Uint8Array> {
  if (typeof data === 'string') return encoder.encode(data);
  if (data instanceof Uint8Array) return data;
  return new Uint8Array(await data.arrayBuffer());
}

async function encodeMultipart(input: MultipartInput): Promise<EncodedBody> {
  const entries: Array<[string, MultipartValue]> = [];
  if (input instanceof FormData) {
    for (const [name, value] of input) entries.push([name, value]);
  } else {
    for (const name of Object.keys(input)) {
      const value = input[name];
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const item of value) entries.push([name, item]);
      else entries.push([name, value as MultipartValue]);
    }
  }
  const boundary = `----tsgi-test-client-${crypto.randomUUID().replaceAll('-', '')}`;
  const parts: Uint8Array[] = [];
  for (const [name, value] of entries) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${escapeName(name)}"`;
    let data: Uint8Array;
    if (value instanceof Blob || isFilePart(value)) {
      const file: MultipartFile = value instanceof Blob ? { data: value } : value;
      const blob = file.data instanceof Blob ? file.data : undefined;
      const filename =
        file.filename ?? (blob !== undefined && 'name' in blob ? String(blob.name) : 'blob');
      const type = file.contentType ?? (blob?.type || 'application/octet-stream');
      head += `; filename="${escapeName(filename)}"\r\nContent-Type: ${type}`;
      data = await partBytes(file.data);
    } else {
      data = encoder.encode(String(value));
    }
    parts.push(encoder.encode(`${head}\r\n\r\n`), data, encoder.encode('\r\n'));
  }
  parts.push(encoder.encode(`--${boundary}--\r\n`));
  return { body: concatBytes(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}
