import type { Application, Environ, HeaderList, ResponseBody } from '@tsgi/spec';

/** A request environ as a server builds it, with `tsgi.errors` collected in `errors`. */
export function makeEnviron(overrides: Partial<Environ> = {}): {
  environ: Environ;
  errors: string[];
} {
  const errors: string[] = [];
  const environ: Environ = {
    REQUEST_METHOD: 'GET',
    SCRIPT_NAME: '',
    PATH_INFO: '/health',
    QUERY_STRING: '',
    SERVER_NAME: '127.0.0.1',
    SERVER_PORT: '80',
    SERVER_PROTOCOL: 'HTTP/1.1',
    REMOTE_ADDR: '127.0.0.1',
    REMOTE_PORT: '50000',
    REQUEST_URI: '/health',
    'tsgi.version': [1, 0],
    'tsgi.url_scheme': 'http',
    'tsgi.input': {
      read: async () => new Uint8Array(0),
      async *[Symbol.asyncIterator]() {},
    },
    'tsgi.errors': { write: (m: string) => void errors.push(m), flush: () => {} },
    'tsgi.multithread': true,
    'tsgi.multiprocess': false,
    'tsgi.run_once': false,
    ...overrides,
  };
  return { environ, errors };
}

export interface Served {
  status: string;
  headers: HeaderList;
  chunks: Uint8Array[];
  body: ResponseBody;
}

/**
 * Plays the server's part: calls the app, reads the body to its end (sync
 * when it is sync), then calls `close()` once. `stopAfter` closes early.
 */
export async function serve(
  app: Application,
  environ: Environ,
  options: { stopAfter?: number } = {},
): Promise<Served> {
  let status = '';
  let headers: HeaderList = [];
  const body = await app(environ, (s, h) => {
    status = s;
    headers = h;
    return async () => {};
  });
  const chunks: Uint8Array[] = [];
  const limit = options.stopAfter ?? Number.POSITIVE_INFINITY;
  if (typeof (body as Iterable<Uint8Array>)[Symbol.iterator] === 'function') {
    for (const chunk of body as Iterable<Uint8Array>) {
      chunks.push(chunk);
      if (chunks.length >= limit) break;
    }
  } else {
    for await (const chunk of body as AsyncIterable<Uint8Array>) {
      chunks.push(chunk);
      if (chunks.length >= limit) break;
    }
  }
  await body.close?.();
  return { status, headers, chunks, body };
}

/** The value of a header, case-insensitively; all values joined by `, ` when it repeats. */
export function header(headers: HeaderList, name: string): string | undefined {
  const values = headers.filter(([n]) => n.toLowerCase() === name.toLowerCase()).map(([, v]) => v);
  return values.length === 0 ? undefined : values.join(', ');
}

export const encoder = new TextEncoder();
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
