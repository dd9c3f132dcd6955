import { type TimingEntry, timing } from '@tsgi/middleware-timing';
import { createClient } from '@tsgi/test-client';
import { describe, expect, it } from 'vitest';
import { requestId } from '../src/index.ts';
import { echoApp } from './apps.ts';

// The timing middleware reads environ['tsgi.request_id'] when it writes its
// log line (after the body is closed). The environ is one object for the
// whole chain (SPEC.md, "Middleware"), so either order works.
describe('with @tsgi/middleware-timing', () => {
  it('puts the id in the text log line: timing(requestId(app))', async () => {
    const lines: string[] = [];
    const app = timing(requestId(echoApp()), { log: (line) => lines.push(line) });
    const res = await createClient(app).get('/health');
    const id = res.headers.get('x-request-id');
    expect(id).not.toBeNull();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[\d\d:\d\d:\d\d\] GET \/health → \d+\.\dms id=(\S+)$/);
    expect(lines[0]!.endsWith(` id=${id}`)).toBe(true);
  });

  it('puts the id in the JSON log line: requestId(timing(app)), trusted incoming id', async () => {
    const entries: TimingEntry[] = [];
    const app = requestId(
      timing(echoApp(), { format: 'json', log: (_line, entry) => entries.push(entry) }),
      { trustProxy: 'loopback' },
    );
    const res = await createClient(app).get('/items', { headers: { 'X-Request-Id': 'nginx-42' } });
    expect(res.headers.get('x-request-id')).toBe('nginx-42');
    expect(entries.map((entry) => entry.requestId)).toEqual(['nginx-42']);
  });

  it('logs to tsgi.errors with the id by default', async () => {
    const client = createClient(timing(requestId(echoApp(), { generate: () => 'log-1' })));
    await client.get('/');
    expect(client.errors).toMatch(/^\[\d\d:\d\d:\d\d\] GET \/ → \d+\.\dms id=log-1\n$/);
  });
});
