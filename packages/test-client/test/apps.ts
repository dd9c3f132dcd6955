import type { Application, HeaderList } from '@tsgi/spec';
import { jsonResponse, statusLine } from '@tsgi/spec';

const encoder = new TextEncoder();

/** Bytes of a string. */
export const bytes = (text: string): Uint8Array => encoder.encode(text);

/** Answers with the environ's string values plus the request body as text. */
export const echoApp: Application = async (environ, startResponse) => {
  const body = await environ['tsgi.input'].read();
  const strings: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(environ)) {
    if (typeof value === 'string' || key === 'tsgi.version' || typeof value === 'boolean') {
      strings[key] = value;
    }
  }
  return jsonResponse(startResponse, 200, {
    environ: strings,
    body: new TextDecoder().decode(body),
  });
};

/** Answers with the request body and its `Content-Type` unchanged. */
export const mirrorApp: Application = async (environ, startResponse) => {
  const body = await environ['tsgi.input'].read();
  const headers: HeaderList = [['Content-Length', String(body.byteLength)]];
  if (environ.CONTENT_TYPE !== undefined) headers.push(['Content-Type', environ.CONTENT_TYPE]);
  startResponse('200 OK', headers);
  return [body];
};

/** Reads the input with `read(size)` and answers with the chunk sizes and the text read. */
export const readSizesApp: Application = async (environ, startResponse) => {
  const size = Number(new URLSearchParams(environ.QUERY_STRING).get('size') ?? '3');
  const input = environ['tsgi.input'];
  const sizes: number[] = [];
  const chunks: Uint8Array[] = [];
  for (;;) {
    const chunk = await input.read(size);
    if (chunk.byteLength === 0) break;
    sizes.push(chunk.byteLength);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return jsonResponse(startResponse, 200, {
    sizes,
    text,
    afterEnd: (await input.read(1)).byteLength,
  });
};

/** A text response with a status and extra headers. */
export function textResponse(status: number, text: string, headers: HeaderList = []): Application {
  return (_environ, startResponse) => {
    const payload = bytes(text);
    startResponse(statusLine(status), [
      ['Content-Type', 'text/plain; charset=utf-8'],
      ['Content-Length', String(payload.byteLength)],
      ...headers,
    ]);
    return [payload];
  };
}

/** Routes on `PATH_INFO`; unknown paths get a 404. */
export function routes(table: Record<string, Application>): Application {
  return (environ, startResponse) => {
    const app = table[environ.PATH_INFO];
    if (app !== undefined) return app(environ, startResponse);
    return jsonResponse(startResponse, 404, { error: `no route for ${environ.PATH_INFO}` });
  };
}

/** A promise with its resolve function outside. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
