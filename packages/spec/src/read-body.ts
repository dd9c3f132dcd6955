import type { Environ } from './environ.js';
import {
  BodyTooLargeError,
  InvalidJsonError,
  RequestBodyError,
  UnsupportedCharsetError,
  UnsupportedMediaTypeError,
} from './errors.js';
import { concatBytes } from './input-stream.js';

/** The default limit of {@link readBody}: 1 MiB. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** Options of {@link readBody} and {@link readText}. */
export interface ReadBodyOptions {
  /** The most bytes to accept; defaults to 1 MiB. */
  limit?: number;
}

/** Options of {@link readJson}. */
export interface ReadJsonOptions extends ReadBodyOptions {
  /**
   * When true, reject a request whose `CONTENT_TYPE` is not JSON
   * (`application/json` or `…+json`) with an `UnsupportedMediaTypeError` (415),
   * and one whose `charset` parameter is not UTF-8 (`utf-8` or `utf8`, any
   * case; none is fine) with an `UnsupportedCharsetError` (415).
   */
  contentType?: boolean;
}

/**
 * Reads the whole request body from `tsgi.input`, at most `limit` bytes.
 * Throws `BodyTooLargeError` (413) before reading anything when
 * `CONTENT_LENGTH` is over the limit, or as soon as the bytes go past it.
 * Errors from the server's input (a `RequestBodyError`) pass through.
 *
 * @example
 * try {
 *   const bytes = await readBody(environ, { limit: 64 * 1024 });
 * } catch (error) {
 *   if (error instanceof RequestBodyError) {
 *     return jsonResponse(startResponse, error.status, { error: error.message });
 *   }
 *   throw error;
 * }
 */
export async function readBody(
  environ: Environ,
  options: ReadBodyOptions = {},
): Promise<Uint8Array> {
  const limit = options.limit ?? DEFAULT_BODY_LIMIT;
  if (environ.CONTENT_LENGTH !== undefined && Number(environ.CONTENT_LENGTH) > limit) {
    throw new BodyTooLargeError(limit);
  }
  const input = environ['tsgi.input'];
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const chunk = await input.read(Math.min(64 * 1024, limit - total + 1));
    if (chunk.byteLength === 0) break;
    total += chunk.byteLength;
    if (total > limit) throw new BodyTooLargeError(limit);
    chunks.push(chunk);
  }
  return concatBytes(chunks);
}

/**
 * Reads the request body as UTF-8 text, at most `limit` bytes (see
 * {@link readBody}). Throws a `RequestBodyError` (400) when the bytes are
 * not valid UTF-8.
 */
export async function readText(environ: Environ, options: ReadBodyOptions = {}): Promise<string> {
  const body = await readBody(environ, options);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch (cause) {
    throw new RequestBodyError(400, 'request body is not valid UTF-8', { cause });
  }
}

function isJsonType(contentType: string): boolean {
  const media = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return media === 'application/json' || /^application\/[^/]+\+json$/.test(media);
}

const CHARSET = /;\s*charset\s*=\s*("(?:[^"\\]|\\.)*"|[^;\s]*)/i;

/** The `charset` parameter of a `Content-Type`, unquoted, or `undefined` when it has none. */
function charsetOf(contentType: string): string | undefined {
  const raw = CHARSET.exec(contentType)?.[1];
  if (raw === undefined) return undefined;
  return raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw;
}

/**
 * Reads and parses a JSON request body, at most `limit` bytes (see
 * {@link readBody}). Throws `InvalidJsonError` (400) when the body is empty or
 * not JSON, with the parser's complaint in the message, and, with
 * `{ contentType: true }`, `UnsupportedMediaTypeError` (415) when
 * `CONTENT_TYPE` is not JSON, or `UnsupportedCharsetError` (415) when its
 * `charset` is not UTF-8 (both checked before reading).
 *
 * @example
 * const item = await readJson(environ, { limit: 16 * 1024, contentType: true });
 */
export async function readJson(environ: Environ, options: ReadJsonOptions = {}): Promise<unknown> {
  if (options.contentType) {
    const type = environ.CONTENT_TYPE;
    if (type === undefined || !isJsonType(type)) throw new UnsupportedMediaTypeError(type);
    // The body is decoded as UTF-8: a declared other charset would be misread.
    const charset = charsetOf(type);
    if (charset !== undefined && !/^utf-?8$/i.test(charset)) {
      throw new UnsupportedCharsetError(type, charset);
    }
  }
  const text = await readText(environ, options);
  if (text.trim() === '') throw new InvalidJsonError('request body is empty; expected JSON');
  try {
    return JSON.parse(text);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new InvalidJsonError(`request body is not valid JSON: ${reason}`, { cause });
  }
}
