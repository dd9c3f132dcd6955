import type { Application, TsgiValidationError } from '@tsgi/spec';
import { validate } from '@tsgi/spec';
import { afterEach, expect } from 'vitest';
import { BOUNDS, guarded } from '../../../../tools/test-support/index.ts';
import {
  closeUwsgiServer,
  createUwsgiServer,
  encodePacket,
  type UwsgiServerOptions,
} from '../../src/uwsgi/index.js';
import { memoryStream, rawRequest } from '../helpers.js';

const running: ReturnType<typeof createUwsgiServer>[] = [];
let violations: TsgiValidationError[] = [];

// Both run whatever the other does; a close that fails never hides a late violation.
afterEach(() =>
  guarded(
    () => Promise.all(running.splice(0).map((server) => closeUwsgiServer(server, 200))),
    () => {
      const found = violations;
      violations = [];
      expect(found.map((v) => v.message)).toEqual([]);
    },
  ),
);

/** The vars Nginx sends through /etc/nginx/uwsgi_params for `GET /`, as seen on Debian's nginx 1.22. */
export function nginxVars(
  overrides: Record<string, string | undefined> = {},
): Record<string, string> {
  const vars: Record<string, string | undefined> = {
    QUERY_STRING: '',
    REQUEST_METHOD: 'GET',
    CONTENT_TYPE: '',
    CONTENT_LENGTH: '',
    REQUEST_URI: '/',
    PATH_INFO: '/',
    DOCUMENT_ROOT: '/etc/nginx/html',
    SERVER_PROTOCOL: 'HTTP/1.1',
    REQUEST_SCHEME: 'http',
    REMOTE_ADDR: '127.0.0.1',
    REMOTE_PORT: '51234',
    SERVER_PORT: '8080',
    SERVER_NAME: '',
    HTTP_HOST: 'example.test',
    HTTP_USER_AGENT: 'curl/7.88',
    HTTP_ACCEPT: '*/*',
    ...overrides,
  };
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(vars)) if (value !== undefined) out[key] = value;
  return out;
}

/**
 * The `sockets` option the uwsgi suites run with: the default (`'raw'` where
 * Node has the binding) unless a file sets `globalThis.TSGI_TEST_SOCKETS`
 * before importing them, as `node-sockets.test.ts` does to run them all again
 * on `net.Socket`.
 */
export function socketsUnderTest(): 'raw' | 'node' | undefined {
  return (globalThis as { TSGI_TEST_SOCKETS?: 'raw' | 'node' }).TSGI_TEST_SOCKETS;
}

/** Starts a uwsgi listener for `app` (wrapped in validate()) on 127.0.0.1, port 0. */
export async function startUwsgi(app: Application, options: UwsgiServerOptions = {}, raw = false) {
  const errors = memoryStream();
  const wrapped = raw ? app : validate(app, { onViolation: (error) => violations.push(error) });
  const server = createUwsgiServer(wrapped, { errors, sockets: socketsUnderTest(), ...options });
  running.push(server);
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return { server, port, errors };
}

/** What came back on one uwsgi connection. */
export interface Exchange {
  bytes: Buffer;
  status: number;
  head: string[];
  body: Buffer;
  /** 'end' when the server closed cleanly, 'reset' on an error, 'timeout' when still open. */
  ending: 'end' | 'reset' | 'timeout';
}

/** Splits an HTTP/1.1 response into status, lower-cased header lines and body bytes. */
export function parseResponse(bytes: Buffer): Omit<Exchange, 'ending' | 'bytes'> {
  const end = bytes.indexOf('\r\n\r\n');
  const head = (end === -1 ? bytes : bytes.subarray(0, end)).toString('latin1').split('\r\n');
  return {
    status: Number(head[0]?.split(' ')[1]),
    head: head.slice(1).map((line) => line.toLowerCase()),
    body: end === -1 ? Buffer.alloc(0) : bytes.subarray(end + 4),
  };
}

/**
 * Sends raw bytes (in pieces 5 ms apart, when given a list) and reads until the
 * server closes, or `waitMs` (unscaled, `BOUNDS.short` by default) passes.
 */
export async function exchange(
  port: number,
  data: Buffer | Buffer[],
  waitMs: number = BOUNDS.short,
): Promise<Exchange> {
  const { bytes, ending } = await rawRequest(port, data, waitMs, 5);
  return { bytes, ending, ...parseResponse(bytes) };
}

/** One request: the vars (Nginx-like defaults merged in) and an optional body. */
export function request(
  port: number,
  overrides: Record<string, string | undefined> = {},
  body?: Buffer,
): Promise<Exchange> {
  const vars = nginxVars(
    body === undefined ? overrides : { CONTENT_LENGTH: String(body.byteLength), ...overrides },
  );
  const packet = encodePacket(vars);
  return exchange(port, body === undefined ? packet : [packet, body]);
}
