import { type Environ, majorVersion } from '@tsgi/spec';

/** Bytes asked of `tsgi.input` per pull. */
const PULL_SIZE = 65536;

/**
 * The request body as a `ReadableStream` over `tsgi.input`, read one chunk per
 * pull, so nothing is read before the handler asks; `null` for a request
 * without one (a `GET` or `HEAD`, `Content-Length: 0`, or over HTTP/1.x
 * neither a length nor a chunked body). Over HTTP/2 and later, which frame
 * the body themselves, a request without `CONTENT_LENGTH` may still have one,
 * so it gets the stream, which may turn out empty. A read that fails (a 413
 * over the server's limit, a body cut short) errors the stream with the
 * server's `RequestBodyError`.
 */
export function inputStream(environ: Environ): ReadableStream<Uint8Array> | null {
  if (!hasBody(environ)) return null;
  const input = environ['tsgi.input'];
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const chunk = await input.read(PULL_SIZE);
        if (chunk.byteLength === 0) controller.close();
        else controller.enqueue(chunk);
      },
    },
    { highWaterMark: 0 },
  );
}

/** Whether the request has a body a `Request` can carry (see {@link inputStream}). */
export function hasBody(environ: Environ): boolean {
  const method = environ.REQUEST_METHOD;
  if (method === 'GET' || method === 'HEAD') return false;
  const length = environ.CONTENT_LENGTH;
  if (length !== undefined) return length !== '0';
  return (
    environ.HTTP_TRANSFER_ENCODING !== undefined || majorVersion(environ.SERVER_PROTOCOL ?? '') >= 2
  );
}
