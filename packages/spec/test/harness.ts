import type {
  Application,
  Environ,
  HeaderList,
  InputStream,
  ResponseBody,
  StartResponse,
  Write,
} from '../src/index.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** UTF-8 bytes of a string. */
export const bytes = (text: string): Uint8Array => encoder.encode(text);

/** A conforming `tsgi.input` over fixed bytes. */
export function makeInput(body: Uint8Array = new Uint8Array()): InputStream {
  let offset = 0;
  const read = async (size?: number): Promise<Uint8Array> => {
    const end = size === undefined ? body.byteLength : Math.min(body.byteLength, offset + size);
    const chunk = body.slice(offset, end);
    offset = end;
    return chunk;
  };
  return {
    read,
    async *[Symbol.asyncIterator]() {
      for (;;) {
        const chunk = await read(4);
        if (chunk.byteLength === 0) return;
        yield chunk;
      }
    },
  };
}

/** Text written to a test environ's `tsgi.errors`. */
export interface ErrorLog {
  text: string;
}

/**
 * A conforming environ for `GET /items` on 127.0.0.1:8080. `overrides` set
 * keys; an `undefined` override deletes the key.
 */
export function makeEnviron(overrides: Record<string, unknown> = {}, log: ErrorLog = { text: '' }) {
  const environ: Record<string, unknown> = {
    REQUEST_METHOD: 'GET',
    SCRIPT_NAME: '',
    PATH_INFO: '/items',
    QUERY_STRING: '',
    SERVER_NAME: '127.0.0.1',
    SERVER_PORT: '8080',
    SERVER_PROTOCOL: 'HTTP/1.1',
    REMOTE_ADDR: '127.0.0.1',
    REMOTE_PORT: '50123',
    REQUEST_URI: '/items',
    HTTP_HOST: '127.0.0.1:8080',
    'tsgi.version': [1, 0],
    'tsgi.url_scheme': 'http',
    'tsgi.input': makeInput(),
    'tsgi.errors': {
      write(message: string) {
        log.text += message;
      },
      flush() {},
    },
    'tsgi.multithread': true,
    'tsgi.multiprocess': false,
    'tsgi.run_once': false,
  };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete environ[key];
    else environ[key] = value;
  }
  return environ as Environ;
}

/** What the in-memory server produced. */
export interface Served {
  status: string;
  headers: HeaderList;
  body: Uint8Array;
  text: string;
  closeCalls: number;
}

/**
 * A small conforming in-memory server: records the response, rethrows
 * `excInfo` once headers are sent, iterates the body once and calls
 * `close()` exactly once in every case.
 */
export async function serve(app: Application, environ: Environ = makeEnviron()): Promise<Served> {
  let status = '';
  let headers: HeaderList = [];
  let headersSent = false;
  const chunks: Uint8Array[] = [];
  const send = (chunk: Uint8Array) => {
    if (chunk.byteLength === 0) return;
    headersSent = true;
    chunks.push(chunk);
  };
  const write: Write = async (chunk) => send(chunk);
  const startResponse: StartResponse = (s, h, excInfo) => {
    if (excInfo !== undefined && headersSent) throw excInfo;
    status = s;
    headers = h;
    return write;
  };
  const body: ResponseBody = await app(environ, startResponse);
  let closeCalls = 0;
  try {
    if (Symbol.asyncIterator in body) {
      for await (const chunk of body) send(chunk);
    } else {
      for (const chunk of body) send(chunk);
    }
  } finally {
    if (typeof body.close === 'function') {
      closeCalls++;
      await body.close();
    }
  }
  const all = Buffer.concat(chunks);
  return { status, headers, body: all, text: decoder.decode(all), closeCalls };
}

/** An application answering 200 with `text` and an exact Content-Length. */
export function textApp(text = 'ok', extra: HeaderList = []): Application {
  return (_environ, startResponse) => {
    const payload = bytes(text);
    startResponse('200 OK', [
      ['Content-Type', 'text/plain'],
      ['Content-Length', String(payload.byteLength)],
      ...extra,
    ]);
    return [payload];
  };
}

/** An application that calls startResponse with these arguments and returns `chunks`. */
export function respond(
  status: string,
  headers: HeaderList,
  chunks: Uint8Array[] = [],
): Application {
  return (_environ, startResponse) => {
    startResponse(status, headers);
    return chunks;
  };
}
