/**
 * A FastCGI web server's side, written apart from the listener's code so the
 * tests do not check the implementation against itself: records built by
 * hand from the FastCGI 1.0 specification, and a reader that splits what the
 * listener answers into records.
 */
import { connect, type Socket } from 'node:net';
import type { Application } from '@tsgi/spec';
import { afterEach } from 'vitest';
import { BOUNDS, bound } from '../../../../tools/test-support/index.ts';
import { createListener, type Listener, type ServerOptions } from '../../src/index.js';

export const T = {
  BEGIN: 1,
  ABORT: 2,
  END: 3,
  PARAMS: 4,
  STDIN: 5,
  STDOUT: 6,
  STDERR: 7,
  DATA: 8,
  GET_VALUES: 9,
  GET_VALUES_RESULT: 10,
  UNKNOWN_TYPE: 11,
} as const;

/** One record: version 1 unless said, no padding unless said. */
export function rec(
  type: number,
  id: number,
  content: Uint8Array = new Uint8Array(0),
  { version = 1, padding = 0 } = {},
): Buffer {
  const header = Buffer.alloc(8);
  header[0] = version;
  header[1] = type;
  header.writeUInt16BE(id, 2);
  header.writeUInt16BE(content.byteLength, 4);
  header[6] = padding;
  return Buffer.concat([header, content, Buffer.alloc(padding, 0xee)]);
}

/** `FCGI_BEGIN_REQUEST` for `id`: Responder with `FCGI_KEEP_CONN` unless said. */
export function begin(id: number, { keepConn = true, role = 1 } = {}): Buffer {
  const body = Buffer.alloc(8);
  body.writeUInt16BE(role, 0);
  body[2] = keepConn ? 1 : 0;
  return rec(T.BEGIN, id, body);
}

function pairLength(n: number): Buffer {
  if (n < 128) return Buffer.of(n);
  const out = Buffer.alloc(4);
  out.writeUInt32BE(n + 0x80000000);
  return out;
}

/** Name-value pairs, latin1. */
export function pairs(entries: Iterable<readonly [string, string]>): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of entries) {
    const n = Buffer.from(name, 'latin1');
    const v = Buffer.from(value, 'latin1');
    parts.push(pairLength(n.byteLength), pairLength(v.byteLength), n, v);
  }
  return Buffer.concat(parts);
}

/** The params Nginx's /etc/nginx/fastcgi_params sends for `method target` (Debian's nginx 1.22). */
export function nginxParams(
  method = 'GET',
  target = '/',
  extra: Record<string, string> = {},
): Array<[string, string]> {
  const q = target.indexOf('?');
  const path = q === -1 ? target : target.slice(0, q);
  const base: Record<string, string> = {
    QUERY_STRING: q === -1 ? '' : target.slice(q + 1),
    REQUEST_METHOD: method,
    CONTENT_TYPE: '',
    CONTENT_LENGTH: '',
    SCRIPT_NAME: path,
    REQUEST_URI: target,
    DOCUMENT_URI: path,
    DOCUMENT_ROOT: '/etc/nginx/html',
    SERVER_PROTOCOL: 'HTTP/1.1',
    REQUEST_SCHEME: 'http',
    GATEWAY_INTERFACE: 'CGI/1.1',
    SERVER_SOFTWARE: 'nginx/1.22.1',
    REMOTE_ADDR: '127.0.0.1',
    REMOTE_PORT: '51234',
    SERVER_ADDR: '127.0.0.1',
    SERVER_PORT: '8081',
    SERVER_NAME: '',
    REDIRECT_STATUS: '200',
    HTTP_HOST: 'example.test',
    HTTP_USER_AGENT: 'test',
  };
  return Object.entries({ ...base, ...extra });
}

/** A whole request as Nginx writes it: BEGIN, params, empty params, the body in STDIN records, empty STDIN. */
export function request(
  id: number,
  params: Iterable<readonly [string, string]>,
  body: Uint8Array = new Uint8Array(0),
  { keepConn = true, stdinChunk = 32_768 } = {},
): Buffer {
  const parts = [begin(id, { keepConn }), rec(T.PARAMS, id, pairs(params)), rec(T.PARAMS, id)];
  for (let at = 0; at < body.byteLength; at += stdinChunk) {
    parts.push(rec(T.STDIN, id, body.subarray(at, at + stdinChunk)));
  }
  parts.push(rec(T.STDIN, id));
  return Buffer.concat(parts);
}

export interface Rec {
  type: number;
  id: number;
  content: Buffer;
}

/** A client connection that splits everything the listener sends into records. */
export class Conn {
  readonly socket: Socket;
  readonly records: Rec[] = [];
  closed = false;
  private buffered = Buffer.alloc(0);
  private waiters: Array<() => void> = [];

  constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      while (this.buffered.byteLength >= 8) {
        const length = this.buffered.readUInt16BE(4);
        const size = 8 + length + this.buffered[6]!;
        if (this.buffered.byteLength < size) break;
        this.records.push({
          type: this.buffered[1]!,
          id: this.buffered.readUInt16BE(2),
          content: this.buffered.subarray(8, 8 + length),
        });
        this.buffered = this.buffered.subarray(size);
      }
      this.wake();
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
  }

  send(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  /**
   * Resolves when `done()` holds (checked on each record and on the close), or
   * rejects after `ms` (unscaled, `BOUNDS.short` by default) with the records seen.
   */
  until(done: () => boolean, ms: number = BOUNDS.short): Promise<void> {
    if (done()) return Promise.resolve();
    const limit = bound(ms);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out after ${limit} ms; records: ${this.describe()}`)),
        limit,
      );
      const check = () => {
        if (!done()) return void this.waiters.push(check);
        clearTimeout(timer);
        resolve();
      };
      this.waiters.push(check);
    });
  }

  /** Waits for `FCGI_END_REQUEST` of `id` (for at most `ms`, unscaled), and returns its response. */
  async response(id: number, ms: number = BOUNDS.short): Promise<Answer> {
    await this.until(() => this.records.some((r) => r.type === T.END && r.id === id), ms);
    return answer(this.records, id);
  }

  describe(): string {
    return JSON.stringify(this.records.map((r) => [r.type, r.id, r.content.byteLength]));
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter();
  }
}

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** `protocolStatus` of its `FCGI_END_REQUEST`. */
  protocolStatus: number;
  /** Its records' types in order. */
  types: number[];
}

/** The CGI response of request `id` in `records`. */
export function answer(records: Rec[], id: number): Answer {
  const mine = records.filter((r) => r.id === id);
  const stdout = Buffer.concat(mine.filter((r) => r.type === T.STDOUT).map((r) => r.content));
  const end = mine.find((r) => r.type === T.END);
  const split = stdout.indexOf('\r\n\r\n');
  const headers: Record<string, string> = {};
  let status = 0;
  if (split !== -1) {
    for (const line of stdout.subarray(0, split).toString('latin1').split('\r\n')) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (name === 'status') status = Number(value.split(' ')[0]);
      else headers[name] = value;
    }
  }
  return {
    status,
    headers,
    body: split === -1 ? Buffer.alloc(0) : stdout.subarray(split + 4),
    protocolStatus: end === undefined ? -1 : end.content[4]!,
    types: mine.map((r) => r.type),
  };
}

const running: Listener[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((listener) => listener.close(200)));
});

/**
 * A FastCGI listener for `app` on a loopback port, closed after the test; its
 * `sockets` option is the default unless a file set `globalThis.TSGI_TEST_SOCKETS`
 * first (`node-sockets.test.ts` runs the suites again on `net.Socket`).
 */
export async function startFastcgi(
  app: Application,
  options: ServerOptions = {},
): Promise<{ listener: Listener; port: number; open(first?: Buffer): Promise<Conn> }> {
  const sockets = (globalThis as { TSGI_TEST_SOCKETS?: 'raw' | 'node' }).TSGI_TEST_SOCKETS;
  const listener = createListener(app, 'fastcgi', { sockets, ...options });
  running.push(listener);
  const address = await listener.listen({ host: '127.0.0.1', port: 0 });
  const port = address.port!;
  // `first` is written as the connection opens, so a short server timeout never
  // runs out in a gap a busy test process leaves between connecting and sending.
  const open = (first?: Buffer) =>
    new Promise<Conn>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port }, () => resolve(new Conn(socket)));
      socket.once('error', reject);
      if (first !== undefined) socket.write(first);
    });
  return { listener, port, open };
}
