/**
 * Zero lost requests on kept-alive connections across reloads, recycling and
 * stops: keep-alive POST load straight at the workers and through Nginx's
 * `proxy_pass` with an upstream `keepalive` (deploy/nginx.conf), and the
 * worst moments driven one by one over raw sockets.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { encodePacket } from '../../src/index.js';
import { keepAliveLoad } from './keep-alive-load.js';
import { findNginx, freePort, type RunningNginx, startNginx } from './nginx.js';
import { startTsgi, type Tsgi, waitReady } from './run-tsgi.js';

const dir = mkdtempSync(join(tmpdir(), 'tsgi-zero-loss-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let nginx: RunningNginx | undefined;
afterEach(async () => {
  await nginx?.stop();
  nginx = undefined;
});
let runs = 0;

/** A fresh ledger (one line per request the app handled) and release file for one test. */
function files() {
  runs++;
  const ledger = join(dir, `ledger-${runs}`);
  writeFileSync(ledger, '');
  const release = join(dir, `release-${runs}`);
  return { ledger, release, env: { TSGI_TEST_LEDGER: ledger, TSGI_TEST_RELEASE: release } };
}

function handled(ledger: string): number {
  return readFileSync(ledger, 'utf8').split('\n').filter(Boolean).length;
}

/** Resolves once `pattern` (global) matched `count` times in the log; bounded by `ms`. */
async function waitCount(tsgi: Tsgi, pattern: RegExp, count: number, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while ((tsgi.stderr().match(pattern) ?? []).length < count) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${pattern}:\n${tsgi.stderr()}`);
    if (tsgi.child.exitCode !== null) throw new Error(`tsgi exited:\n${tsgi.stderr()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const DRAINED = /\w+: drained \d+ connections in [\d.]+ s: .*/g;

interface Scenario {
  flags: string[];
  /** What the workers go through while the load runs; resolves when it is over. */
  act(tsgi: Tsgi): Promise<void>;
  /** Drain lines to expect once the clients are gone. */
  drains: number;
}

const scenarios: Record<string, Scenario> = {
  'two reloads (SIGHUP)': {
    flags: ['--workers', '2'],
    drains: 4,
    async act(tsgi) {
      tsgi.child.kill('SIGHUP');
      await waitCount(tsgi, /reload done/g, 1);
      tsgi.child.kill('SIGHUP');
      await waitCount(tsgi, /reload done/g, 2);
    },
  },
  '--max-requests recycling': {
    flags: ['--workers', '2', '--max-requests', '300', '--max-requests-jitter', '30'],
    drains: 2,
    act: (tsgi) => waitCount(tsgi, /\(recycled\): it drains/g, 2),
  },
  SIGTTOU: {
    flags: ['--workers', '3'],
    drains: 1,
    async act(tsgi) {
      tsgi.child.kill('SIGTTOU');
      await waitCount(tsgi, /\(SIGTTOU\): it drains/g, 1);
    },
  },
};

/** Starts tsgi (and Nginx in front of it for `nginx`) and returns where clients go. */
async function start(via: 'direct' | 'nginx', flags: string[], env: Record<string, string>) {
  if (via === 'direct') {
    const tsgi = startTsgi(['serve', 'counting.mjs', '--port', '0', ...flags], { env });
    return { tsgi, target: await tsgi.listening };
  }
  const binary = findNginx();
  if (binary === undefined)
    throw new Error('nginx is not installed: run scripts/install-system-deps.sh');
  const site = join(dir, `nginx-${runs}`);
  const httpSocket = join(site, 'tsgi-http.sock');
  const tsgi = startTsgi(['serve', 'counting.mjs', '--socket', httpSocket, ...flags], { env });
  const [uwsgiPort, httpPort] = [await freePort(), await freePort()];
  nginx = await startNginx(binary, {
    dir: site,
    uwsgiPort,
    httpPort,
    uwsgiSocket: join(site, 'unused.sock'),
    httpSocket,
  });
  await tsgi.listening;
  return { tsgi, target: `http://127.0.0.1:${httpPort}` };
}

describe.each(['direct', 'nginx'] as const)('keep-alive POST load (%s)', (via) => {
  for (const [name, scenario] of Object.entries(scenarios)) {
    it(`${name}: 0 failed requests, and the app handled exactly the 2xx the clients saw`, {
      timeout: 120_000,
    }, async () => {
      const { ledger, env } = files();
      const { tsgi, target } = await start(via, scenario.flags, env);
      const workers = Number(scenario.flags[1]);
      await waitReady(tsgi, workers);
      let over = false;
      let acting: Promise<void> | undefined;
      // Bounded: 60 s and 200k requests at most; it stops a second after the act.
      const result = await keepAliveLoad(target, {
        lanes: 16,
        ms: 60_000,
        maxRequests: 200_000,
        stopWhen: () => over,
        at: 100,
        during: () => {
          acting = scenario
            .act(tsgi)
            .then(() => new Promise<void>((r) => setTimeout(r, 1000)))
            .finally(() => {
              over = true;
            });
        },
      });
      await acting;
      expect(acting).toBeDefined();
      expect(result.failed).toEqual([]);
      expect(result.ok).toBeGreaterThan(100);
      expect(handled(ledger)).toBe(result.ok);
      // Nginx's idle cached connections keep an old worker draining until Nginx lets them go.
      await nginx?.stop();
      nginx = undefined;
      await waitCount(tsgi, DRAINED, scenario.drains);
      const drains = tsgi.stderr().match(DRAINED)!;
      for (const line of drains) expect(line).toMatch(/ 0 cut at the graceful timeout/);
      // The drains closed kept-alive connections after a response with Connection: close.
      expect(drains.some((line) => !/: 0 closed after a response/.test(line))).toBe(true);
      if (via === 'nginx') {
        const log = readFileSync(join(dir, `nginx-${runs}`, 'logs', 'error.log'), 'utf8');
        expect(log).not.toMatch(
          /upstream prematurely|recv\(\) failed|reset by peer|connect\(\) failed/,
        );
      }
    });
  }
});
