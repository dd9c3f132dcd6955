import { connect, type Socket } from 'node:net';
import type { Application, TsgiValidationError } from '@tsgi/spec';
import { validate } from '@tsgi/spec';
import { afterEach, expect } from 'vitest';
import { BOUNDS, bound, guarded, until as waitUntil } from '../../../tools/test-support/index.ts';

export { untilStalled } from '../../../tools/test-support/index.ts';

import { type ServeOptions, serve, type TsgiServer } from '../src/index.js';

const running: TsgiServer[] = [];
let violations: TsgiValidationError[] = [];

// Both run whatever the other does; a close that fails never hides a late violation.
afterEach(() =>
  guarded(
    () => Promise.all(running.splice(0).map((server) => server.close({ timeout: 200 }))),
    () => {
      const found = violations;
      violations = [];
      expect(found.map((v) => v.message)).toEqual([]);
    },
  ),
);

/** A writable that keeps what is written, for `errors` and `accessLogStream`. */
export function memoryStream(): { write(text: string): boolean; text(): string } {
  let buffer = '';
  return {
    write(text: string) {
      buffer += text;
      return true;
    },
    text: () => buffer,
  };
}

/**
 * Serves `app` wrapped in `validate()` on 127.0.0.1 with an ephemeral port; the
 * server is closed after the test, and any late spec violation fails it.
 */
export async function start(
  app: Application,
  options: ServeOptions = {},
): Promise<TsgiServer & { url: string; port: number; errors: ReturnType<typeof memoryStream> }> {
  const errors = memoryStream();
  const server = await serve(validate(app, { onViolation: (error) => violations.push(error) }), {
    host: '127.0.0.1',
    port: 0,
    errors,
    ...options,
  });
  running.push(server);
  return Object.assign(server, { url: server.address.url, port: server.address.port ?? 0, errors });
}

/** Serves without validate(): only for the tests that need the raw array fast path. */
export async function startUnvalidated(app: Application, options: ServeOptions = {}) {
  const errors = memoryStream();
  const server = await serve(app, { host: '127.0.0.1', port: 0, errors, ...options });
  running.push(server);
  return Object.assign(server, { url: server.address.url, port: server.address.port ?? 0, errors });
}

/** The result of a raw exchange: everything the server sent, and how the connection ended. */
export interface RawResult {
  text: string;
  bytes: Buffer;
  /** 'end' (server closed cleanly), 'reset' (error/abort) or 'timeout' (still open when we gave up). */
  ending: 'end' | 'reset' | 'timeout';
}

/**
 * Sends raw bytes over a fresh TCP or Unix connection and collects the
 * answer until the server closes, or `waitMs` passes (then 'timeout'):
 * `waitMs` is a bound, unscaled (scaled by `bound()`), `BOUNDS.short` by default.
 * Given a list, writes its pieces in turn, `gapMs` apart when that is above 0
 * (so each tends to arrive as a packet of its own).
 */
export function rawRequest(
  target: number | string,
  data: string | Buffer | (string | Buffer)[],
  waitMs: number = BOUNDS.short,
  gapMs = 0,
): Promise<RawResult> {
  return new Promise((resolve) => {
    const socket: Socket =
      typeof target === 'number'
        ? connect({ host: '127.0.0.1', port: target })
        : connect({ path: target });
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (ending: RawResult['ending']) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const bytes = Buffer.concat(chunks);
      resolve({ text: bytes.toString('latin1'), bytes, ending });
    };
    const timer = setTimeout(() => finish('timeout'), bound(waitMs));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('end', () => finish('end'));
    socket.on('error', () => finish('reset'));
    socket.on('close', () => finish('end'));
    socket.on('connect', async () => {
      for (const part of Array.isArray(data) ? data : [data]) {
        socket.write(part);
        if (gapMs > 0) await new Promise((r) => setTimeout(r, gapMs));
      }
    });
  });
}

/** Splits a raw HTTP/1.1 response into status code, lower-cased header lines and body text. */
export function parseHead(text: string): { status: number; headers: string[]; body: string } {
  const end = text.indexOf('\r\n\r\n');
  const head = end === -1 ? text : text.slice(0, end);
  const lines = head.split('\r\n');
  const status = Number(lines[0]?.split(' ')[1]);
  return {
    status,
    headers: lines.slice(1).map((l) => l.toLowerCase()),
    body: end === -1 ? '' : Buffer.from(text.slice(end + 4), 'latin1').toString('utf8'),
  };
}

/** A promise and its resolve function. */
export function gate<T = void>(): { promise: Promise<T>; open: (value: T) => void } {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/** How many connections `server` has open now (`server.getConnections` as a promise). */
export function openConnections(server: {
  getConnections(callback: (error: Error | null, count: number) => void): unknown;
}): Promise<number> {
  return new Promise((resolve) => server.getConnections((_error, n) => resolve(n)));
}

/**
 * Waits until `check()` holds (the shared `until` of tools/test-support);
 * throws after `ms` (unscaled, `BOUNDS.short` by default), naming `what`.
 */
export function until(
  check: () => boolean | Promise<boolean>,
  what = 'a condition',
  ms: number = BOUNDS.short,
): Promise<void> {
  return waitUntil(check, { what, ms });
}

export const text = (s: string): Uint8Array => new TextEncoder().encode(s);
