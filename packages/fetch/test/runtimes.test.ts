// One TSGI app (fixtures/app.ts) served by @tsgi/node and through toFetchHandler on real Bun and
// real Deno: each request (runtime-cases.ts) must be answered alike, status, reason, header
// fields and body, but for the differences each case states and the fields SERVER_OWN_FIELDS names.
import { createClient } from '@tsgi/test-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { app } from './fixtures/app.ts';
import { CASES, type Case } from './runtime-cases.ts';
import { comparable, send } from './support/http.ts';
import { type Served, serveEverywhere, stopAll } from './support/servers.ts';

let servers: Served[] = [];

beforeAll(async () => {
  servers = await serveEverywhere();
});

afterAll(() => stopAll(servers));

/** The answer of the fixture in-process under `validate()`: it must keep SPEC.md on every request. */
async function validated(testCase: Case) {
  const client = createClient(app);
  // The client frames the body itself.
  const headers = (testCase.headers ?? []).filter(
    ([name]) => !/^(content-length|transfer-encoding)$/i.test(name),
  );
  return client.request(testCase.method, testCase.path, { headers, body: testCase.body });
}

describe('toFetchHandler on Bun and Deno answers as @tsgi/node does', () => {
  for (const testCase of CASES) {
    it(`${testCase.name}: ${testCase.method} ${testCase.path}`, async () => {
      const answers = await Promise.all(servers.map((server) => send(server.port, testCase)));
      const [node, ...others] = answers;
      testCase.check(node!);
      if (!testCase.wireOnly) {
        const checked = await validated(testCase);
        expect([checked.status, checked.errors]).toEqual([node!.status, '']);
      }
      const expected = comparable(node!);
      for (const [index, answer] of others.entries()) {
        const server = servers[index + 1]!;
        const differs = server.name === 'bun' ? testCase.bun : testCase.deno;
        expect(comparable(answer), `${server.name}'s answer\n${server.output()}`).toEqual(
          differs?.(expected) ?? expected,
        );
      }
    });
  }
});
