import type { Application } from '@tsgi/spec';
import { createClient } from '@tsgi/test-client';
import { describe, expect, it } from 'vitest';
import { timing } from '../src/index.ts';

const encoder = new TextEncoder();

// Through the in-process test client, which wraps the app in validate():
// the wrapped bodies must still obey SPEC.md (close once, bytes only, ...).
describe('under validate()', () => {
  const bodies: Record<string, () => ReturnType<Application>> = {
    array: () => [encoder.encode('a'), encoder.encode('b')],
    'sync generator': () =>
      (function* () {
        yield encoder.encode('a');
        yield encoder.encode('b');
      })(),
    'async generator': () =>
      (async function* () {
        yield encoder.encode('a');
        yield encoder.encode('b');
      })(),
    'promise of an array': async () => [encoder.encode('ab')],
  };

  for (const [kind, make] of Object.entries(bodies)) {
    it(`passes a ${kind} body through and logs once`, async () => {
      const lines: string[] = [];
      const app: Application = (_environ, startResponse) => {
        startResponse('200 OK', [['Content-Type', 'text/plain']]);
        return make() as never;
      };
      const client = createClient(
        timing(app, { serverTiming: true, log: (line) => lines.push(line) }),
      );
      const res = await client.get('/stream');
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('ab');
      expect(res.headers.get('x-process-time')).toMatch(/^\d+\.\d{2}$/);
      expect(res.headers.get('server-timing')).toMatch(/^app;dur=\d+\.\d{2}$/);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^\[\d\d:\d\d:\d\d\] GET \/stream → \d+\.\dms$/);
    });
  }

  it('logs to tsgi.errors by default', async () => {
    const app: Application = (_environ, startResponse) => {
      startResponse('204 No Content', []);
      return [];
    };
    const client = createClient(timing(app));
    await client.get('/health');
    expect(client.errors).toMatch(/^\[\d\d:\d\d:\d\d\] GET \/health → \d+\.\dms\n$/);
  });
});
