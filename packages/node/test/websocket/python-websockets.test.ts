import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOUNDS, bound, guarded } from '../../../../tools/test-support/index.ts';
import { DENIED_BODY, SERVER_CLOSE } from './outside-scenario.js';
import { type OutsideServer, startBoth } from './outside-servers.js';

// An outside client, python3-websockets 10.4 (Debian's, asyncio client), runs
// one session against the bare `ws` reference and against @tsgi/node; each
// answer is checked, then the two JSON reports must be equal.

const PYTHON = '/usr/bin/python3';
const SESSION = fileURLToPath(new URL('./clients/session.py', import.meta.url));

/** The size and hash of a large message, as the client printed them. */
interface Fingerprint {
  type: string;
  length: number;
  sha256: string;
}

/** A 1 MiB round trip: what was sent, what came back. */
interface LargeEcho {
  sent: Fingerprint;
  received: Fingerprint;
  intact: boolean;
}

/** What `clients/session.py` prints. */
interface SessionReport {
  echo: {
    text: unknown;
    binary: unknown;
    empty_binary: unknown;
    mib_text: LargeEcho;
    mib_binary: LargeEcho;
    order: unknown;
    ping: unknown;
    after_ping: unknown;
    client_close: unknown;
  };
  protocols: unknown;
  deny: unknown;
  server_close: unknown;
}

let servers: OutsideServer[] = [];
const sessions = new Map<string, Promise<SessionReport>>();

/** Runs the Python session against `server` once; every test of that server shares its report. */
function sessionOf(server: OutsideServer): Promise<SessionReport> {
  let session = sessions.get(server.name);
  if (session === undefined) {
    session = new Promise((resolve, reject) => {
      const seconds = String(bound(BOUNDS.short) / 1000);
      execFile(
        PYTHON,
        [SESSION, `ws://${server.host}`, seconds],
        { timeout: bound(BOUNDS.process), killSignal: 'SIGKILL', maxBuffer: 1 << 20 },
        (error, stdout, stderr) => {
          if (error) {
            reject(
              new Error(
                `the Python session against ${server.name} failed: ${error.message}\n${stderr}\n` +
                  `server side: ${server.problems()}`,
              ),
            );
          } else resolve(JSON.parse(stdout) as SessionReport);
        },
      );
    });
    sessions.set(server.name, session);
  }
  return session;
}

/** A plain HTTP request carrying the upgrade headers: the denial's status and body as sent. */
function deniedAnswer(server: OutsideServer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}/deny`, {
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
      },
      timeout: bound(BOUNDS.short),
    });
    req.on('upgrade', () => reject(new Error('the denial was upgraded')));
    req.on('timeout', () => req.destroy(new Error('no answer to the denied upgrade')));
    req.on('error', reject);
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.end();
  });
}

beforeAll(async () => {
  if (!existsSync(PYTHON))
    throw new Error(`${PYTHON} is missing: see scripts/install-system-deps.sh`);
  servers = await startBoth();
});

afterAll(() =>
  guarded(
    () => expect(servers.flatMap((server) => server.violations())).toEqual([]),
    () => servers[0]?.close(),
    () => servers[1]?.close(),
  ),
);

describe.each(['reference', 'tsgi'] as const)('python3-websockets against %s', (name) => {
  const server = () => servers.find((s) => s.name === name) as OutsideServer;
  const session = async () => sessionOf(server());

  it('echoes text and binary messages intact, an empty one too', async () => {
    const { echo } = await session();
    expect(echo.text).toEqual({ type: 'str', intact: true, value: 'héllo, wörld ✓ 👋' });
    expect(echo.binary).toEqual({ type: 'bytes', intact: true, length: 256 });
    expect(echo.empty_binary).toEqual({ type: 'bytes', length: 0 });
  });

  it('echoes 1 MiB text and binary messages intact', async () => {
    const { echo } = await session();
    for (const large of [echo.mib_text, echo.mib_binary]) {
      expect(large.intact).toBe(true);
      expect(large.received).toEqual(large.sent);
      expect(large.received.length).toBe(1 << 20);
    }
  });

  it('keeps the order of 100 messages sent back to back', async () => {
    const { echo } = await session();
    expect(echo.order).toEqual({ count: 100, in_order: true });
  });

  it('answers a ping with a pong, and echoes after it', async () => {
    const { echo } = await session();
    expect(echo.ping).toEqual({ answered: true });
    expect(echo.after_ping).toBe('still here');
  });

  it("answers the client's close with the same code", async () => {
    const { echo } = await session();
    expect(echo.client_close).toEqual({ code: 1000, reason: 'client done' });
  });

  it("negotiates the subprotocol by the server's preference among those offered", async () => {
    const { protocols } = await session();
    const saw = (offered: string[]) => ({ offered, origin: null });
    expect(protocols).toEqual({
      v2_v1: { offered: ['v2', 'v1'], chosen: 'v1', server_saw: saw(['v2', 'v1']) },
      v2_only: { offered: ['v2'], chosen: 'v2', server_saw: saw(['v2']) },
      unknown: { offered: ['v9'], chosen: null, server_saw: saw(['v9']) },
      none: { offered: null, chosen: null, server_saw: saw([]) },
    });
  });

  it('denies the upgrade with a 403 the client sees as InvalidStatusCode', async () => {
    const { deny } = await session();
    expect(deny).toEqual({ error: 'InvalidStatusCode', status: 403, content_type: 'text/plain' });
    expect(await deniedAnswer(server())).toEqual({ status: 403, body: DENIED_BODY });
  });

  it('closes from the server side with 4001 "bye", which the client sees', async () => {
    const report = await session();
    expect(report.server_close).toEqual({
      raised: { error: 'ConnectionClosedError', ...SERVER_CLOSE },
      close_code: SERVER_CLOSE.code,
      close_reason: SERVER_CLOSE.reason,
    });
  });
});

describe('python3-websockets: @tsgi/node and the ws reference', () => {
  it('give the client the same session, answer for answer', async () => {
    const [reference, tsgi] = servers as [OutsideServer, OutsideServer];
    const [fromReference, fromTsgi] = await Promise.all([sessionOf(reference), sessionOf(tsgi)]);
    expect(fromTsgi).toEqual(fromReference);
    expect(await deniedAnswer(tsgi)).toEqual(await deniedAnswer(reference));
  });
});
