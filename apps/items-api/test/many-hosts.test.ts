/**
 * items-api on many hosts, for real: network namespaces `db` (PostgreSQL 15),
 * `app1` and `app2` (items-api, 2 workers each) and `web` (Nginx), joined on
 * 10.77.0.0/24 only, deployed from the files docs/deploy/many-hosts.md shows. Skipped
 * (with the reason) when not root or without `ip netns`; CI runs it as root.
 * The namespaces are named for this run (support/netns.ts), so two runs at
 * once on one machine each have their own.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { BOUNDS, bound, guarded, until } from '../../../tools/test-support/index.ts';
import {
  type HostPostgres,
  startApp,
  startHostPostgres,
  startWebNginx,
  type WebNginx,
} from './support/many-hosts.js';
import {
  createHosts,
  cut,
  type Host,
  type Proc,
  removeHosts,
  removeStaleHosts,
  spawnIn,
  whyNoNamespaces,
} from './support/netns.js';

const LOAD = fileURLToPath(new URL('./support/load.mjs', import.meta.url));
const skip = whyNoNamespaces();
if (skip !== undefined) console.warn(`many-hosts test skipped: ${skip}`);

interface LoadResult {
  sent: number;
  gets: number;
  posts: number;
  failedGets: string[];
  created: { key: string; id: number }[];
  failedPosts: { key: string; status: number; body: string }[];
  slowestFailureMs: number;
  retried: { key: string; id: number }[];
  statuses: Record<string, number>;
}

describe.skipIf(skip !== undefined)('items-api on many hosts', () => {
  let hosts: Record<string, Host>;
  let pg: HostPostgres;
  let nginx: WebNginx;
  const apps: Record<string, Proc> = {};

  const load = (args: Record<string, unknown>) =>
    spawnIn(
      hosts.web!,
      process.execPath,
      [LOAD, JSON.stringify({ url: 'http://127.0.0.1', ...args })],
      process.env,
    );
  const ready = async () => {
    const probe = load({ mode: 'ready', timeoutMs: bound(BOUNDS.process) });
    await probe.waitFor(/^ready$/m, bound(BOUNDS.process + BOUNDS.short));
  };
  /**
   * Waits until Nginx sends requests to both app hosts and each answers at once:
   * after a scenario in which hosts failed, Nginx leaves each out for its
   * `fail_timeout` (its passive health check), and the next scenario starts
   * with both back in rotation.
   */
  const bothInRotation = () =>
    until(
      async () => {
        await ready();
        const last = nginx.accessLog().slice(-2);
        const upstreams = last.map((line) => / 200 up=([^,\s]+) ups=200 /.exec(line)?.[1]);
        return (
          upstreams.length === 2 && !upstreams.includes(undefined) && upstreams[0] !== upstreams[1]
        );
      },
      {
        ms: BOUNDS.process,
        every: 100,
        what: 'Nginx to send requests to both app hosts again',
        details: () => nginx.accessLog().slice(-6).join('\n'),
      },
    );
  const items = (query: string) => pg.sql(query, 'items_api').trim();

  beforeAll(() => {
    removeStaleHosts();
    hosts = createHosts({ db: 2, web: 10, app1: 11, app2: 12 });
    pg = startHostPostgres(hosts.db!);
  });

  // A failure shows what the hosts said: the last lines of each one's output.
  afterEach(({ task }) => {
    if (task.result?.state !== 'fail') return;
    const last40 = (text: string) => text.split('\n').slice(-40).join('\n');
    for (const [name, proc] of Object.entries({ ...apps, nginx }))
      console.log(`--- ${name} (last 40 lines)\n${last40(proc?.output() ?? '')}`);
    console.log(`--- nginx's error logs (last 40 lines)\n${last40(nginx?.errorLog() ?? '')}`);
    const failed = (nginx?.accessLog() ?? []).filter((line) => !/ 2\d\d up=/.test(line));
    console.log(`--- requests nginx did not answer 2xx (last 40)\n${failed.slice(-40).join('\n')}`);
  });

  // Everything is stopped even when a step fails; the first failure is the one reported.
  afterAll(() =>
    guarded(
      async () => {
        for (const proc of [...Object.values(apps), nginx]) await proc?.kill();
      },
      () => {
        if (pg?.running()) pg.stop();
      },
      // Also kills what runs in the namespaces still (load scripts, a PostgreSQL left running).
      () => removeHosts(),
    ),
  );

  test(
    'scenario 4: two hosts migrate an empty database at once; one migrates, the other waits, both start',
    async () => {
      apps.app1 = startApp(hosts.app1!, hosts.db!);
      apps.app2 = startApp(hosts.app2!, hosts.db!);
      const said = await Promise.all(
        [apps.app1, apps.app2].map((app) =>
          app.waitFor(
            /migrate: postgres \S+?(?: is up to date|: applied [^\n]*)\n/,
            bound(BOUNDS.process),
          ),
        ),
      );
      const lines = said.map((match) => match[0]);
      expect(
        lines.filter((line) => line.includes(': applied ')).map((l) => l.split(': applied ')[1]),
      ).toEqual(['001-create-items, 002-seed-items, 003-create-idempotency-keys\n']);
      expect(lines.filter((line) => line.endsWith(' is up to date\n'))).toHaveLength(1);
      for (const app of [apps.app1, apps.app2]) await app.waitFor(/listening|ready|serving/i);
      expect(items('SELECT count(*) FROM items')).toBe('3');
      nginx = startWebNginx(hosts.web!, [hosts.app1!, hosts.app2!]);
      await ready();
    },
    bound(200_000),
  );

  /**
   * Runs the load script with `args`, calls `during` (with the load's process) once it
   * sent `at` requests, returns its result. The load's own bounds are scaled here.
   */
  async function runLoad(
    args: Record<string, unknown>,
    at: number,
    during: (run: Proc) => Promise<void>,
  ) {
    const timeLimitMs = bound(90_000);
    const retryMs = bound(90_000);
    const run = load({
      mode: 'load',
      concurrency: 8,
      timeLimitMs,
      retryMs,
      requestTimeoutMs: bound(20_000),
      ...args,
    });
    await run.waitFor(new RegExp(`^progress ${at}$`, 'm'), timeLimitMs);
    await during(run);
    const [, json] = (await run.waitFor(
      /^result (.*)\n/m,
      timeLimitMs + retryMs + bound(BOUNDS.short),
    )) as RegExpMatchArray;
    return JSON.parse(json!) as LoadResult;
  }

  /**
   * Every key that got a 201 (at once or on a retry) has its item in the
   * database with the acknowledged id, every POST got one in the end, and no
   * key has two items. Returns the counts for the log.
   */
  function checkKeys(prefix: string, result: LoadResult) {
    const acked = new Map([...result.created, ...result.retried].map(({ key, id }) => [key, id]));
    const stored = new Map(
      items(`SELECT name, id FROM items WHERE name LIKE '${prefix}-%'`)
        .split('\n')
        .filter(Boolean)
        .map((row) => row.split('|') as [string, string]),
    );
    const duplicates = Number(
      items(`SELECT count(*) - count(DISTINCT name) FROM items WHERE name LIKE '${prefix}-%'`),
    );
    expect(result.retried.length).toBe(result.failedPosts.length);
    for (const [key, id] of acked) expect(stored.get(key)).toBe(String(id));
    expect(duplicates).toBe(0);
    expect(stored.size).toBe(acked.size);
    expect(acked.size).toBe(result.posts);
    return `sent ${result.sent} (${result.gets} GETs, ${result.posts} keyed POSTs), failed GETs ${result.failedGets.length}, failed POSTs ${result.failedPosts.length} (retried with their key: ${result.retried.length}), items created ${stored.size}, duplicates ${duplicates}; statuses ${JSON.stringify(result.statuses)}, slowest failure ${result.slowestFailureMs} ms`;
  }

  /** The one JSON 503 bodies may be: the app's, its /health's, or Nginx's own. */
  const JSON_503 =
    /^503 \{"error": ?"(database unavailable; try again shortly|items-api is not reachable; try again shortly)"/;

  test(
    'scenario 1: app1 killed with kill -9 under mixed load: no GET fails, every key ends with exactly one item',
    async () => {
      const result = await runLoad({ requests: 1200, prefix: 'k' }, 300, () => apps.app1!.kill());
      console.log(`scenario 1: ${checkKeys('k', result)}`);
      expect(result.failedGets).toEqual([]);
    },
    bound(400_000),
  );

  test(
    'scenario 2: PostgreSQL stopped for 3 s under load: 503 JSON, no worker exits, recovery by itself, nothing lost',
    async () => {
      apps.app1 = startApp(hosts.app1!, hosts.db!);
      await apps.app1.waitFor(/listening/);
      const before = items('SELECT count(*) FROM items');
      // Every way the master reports a worker's end: stopped, crashed, failed to boot.
      const exits = () =>
        [apps.app1!, apps.app2!].map(
          (app) => app.output().match(/ (?:exited|died|failed to start)\b/g)?.length ?? 0,
        );
      const exitsBefore = exits();
      const result = await runLoad(
        { requests: 3000, prefix: 's2', pauseMs: 20 },
        200,
        async (run) => {
          pg.stop();
          // The outage lasts 3 s (the scenario's length, not a wait for anything) and at least
          // until the load saw a request fail: on a busy machine the load may be starved for 3 s.
          await Promise.all([
            new Promise((resolve) => setTimeout(resolve, 3000)),
            run.waitFor(/^failure$/m),
          ]);
          pg.start();
        },
      );
      await ready();
      console.log(`scenario 2: ${checkKeys('s2', result)}`);
      expect(result.statuses['0']).toBeUndefined();
      for (const failure of [
        ...result.failedGets,
        ...result.failedPosts.map((p) => `${p.status} ${p.body}`),
      ])
        expect(failure).toMatch(JSON_503);
      expect(result.failedGets.length + result.failedPosts.length).toBeGreaterThan(0);
      expect(exits()).toEqual(exitsBefore);
      expect(Number(items("SELECT count(*) FROM items WHERE name NOT LIKE 's2-%'"))).toBe(
        Number(before),
      );
    },
    bound(400_000),
  );

  test(
    'scenario 3: app2 cut from db answers 503 at once; Nginx moves GETs to app1',
    async () => {
      await bothInRotation();
      cut(hosts.app2!, hosts.db!, true);
      await guarded(
        async () => {
          const direct = load({
            requestTimeoutMs: bound(20_000),
            mode: 'get',
            url: `http://${hosts.app2!.address}:8002`,
            path: '/items',
          });
          const [, reply] = (await direct.waitFor(/^reply (.*)\n/m)) as RegExpMatchArray;
          const { status, body, ms } = JSON.parse(reply!) as {
            status: number;
            body: string;
            ms: number;
          };
          console.log(`scenario 3: app2 cut from db answered ${status} in ${ms} ms`);
          expect(`${status} ${body}`).toMatch(JSON_503);
          const result = await runLoad({ requests: 600, prefix: 's3' }, 50, async () => {});
          console.log(`scenario 3: ${checkKeys('s3', result)}`);
          expect(result.failedGets).toEqual([]);
        },
        () => cut(hosts.app2!, hosts.db!, false),
      );
    },
    bound(400_000),
  );
});
