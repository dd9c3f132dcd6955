import type { Application, HeaderList } from '@tsgi/spec';
import { describe, expect, it } from 'vitest';
import { timing } from '../src/index.ts';
import { encoder, header, makeEnviron, serve, sleep } from './harness.ts';

const hello: Application = (_environ, startResponse) => {
  startResponse('200 OK', [['Content-Type', 'text/plain']]);
  return [encoder.encode('hello')];
};

describe('X-Process-Time', () => {
  it('is milliseconds with two digits after the point by default', async () => {
    const { environ } = makeEnviron();
    const res = await serve(timing(hello, { log: false }), environ);
    expect(header(res.headers, 'X-Process-Time')).toMatch(/^\d+\.\d{2}$/);
    expect(res.headers.filter(([n]) => n === 'X-Process-Time')).toHaveLength(1);
  });

  it('takes its digits and name from the options', async () => {
    const { environ } = makeEnviron();
    let res = await serve(timing(hello, { log: false, digits: 0 }), environ);
    expect(header(res.headers, 'X-Process-Time')).toMatch(/^\d+$/);
    res = await serve(timing(hello, { log: false, digits: 4, header: 'X-Elapsed' }), environ);
    expect(header(res.headers, 'X-Elapsed')).toMatch(/^\d+\.\d{4}$/);
    expect(header(res.headers, 'X-Process-Time')).toBeUndefined();
  });

  it('can be turned off', async () => {
    const { environ } = makeEnviron();
    const res = await serve(timing(hello, { log: false, header: false }), environ);
    expect(res.headers).toEqual([['Content-Type', 'text/plain']]);
  });

  it('measures until startResponse, not until the body ends', async () => {
    const app: Application = async (_environ, startResponse) => {
      await sleep(40);
      startResponse('200 OK', []);
      return (async function* () {
        await sleep(60);
        yield encoder.encode('late');
      })();
    };
    const entries: Array<[number, number]> = [];
    const { environ } = makeEnviron();
    const res = await serve(
      timing(app, { log: (_l, e) => entries.push([e.processMs!, e.totalMs]) }),
      environ,
    );
    const processMs = Number(header(res.headers, 'X-Process-Time'));
    expect(processMs).toBeGreaterThanOrEqual(35);
    // The log line's total includes the 60 ms of streaming after the headers.
    expect(entries).toHaveLength(1);
    const [processed, total] = entries[0]!;
    expect(total).toBeGreaterThanOrEqual(processed + 55);
  });

  it('does not duplicate a header the app already set, whatever its case', async () => {
    const app: Application = (_environ, startResponse) => {
      startResponse('200 OK', [['x-process-time', 'app-said-so']]);
      return [];
    };
    const { environ } = makeEnviron();
    const res = await serve(timing(app, { log: false }), environ);
    expect(res.headers).toEqual([['x-process-time', 'app-said-so']]);
  });

  it('never mutates the header list the app passed (it may be a shared constant)', async () => {
    const shared: HeaderList = [['Content-Type', 'text/plain']];
    const app: Application = (_environ, startResponse) => {
      startResponse('200 OK', shared);
      return [];
    };
    const { environ } = makeEnviron();
    for (let i = 0; i < 3; i++) {
      const res = await serve(timing(app, { log: false, serverTiming: true }), environ);
      expect(res.headers).toHaveLength(3);
    }
    expect(shared).toEqual([['Content-Type', 'text/plain']]);
  });

  it('goes on the replacement headers when the app restarts the response with excInfo', async () => {
    const app: Application = (_environ, startResponse) => {
      startResponse('200 OK', [['A', '1']]);
      startResponse('500 Internal Server Error', [['B', '2']], new Error('boom'));
      return [];
    };
    const { environ } = makeEnviron();
    const res = await serve(timing(app, { log: false }), environ);
    expect(res.status).toBe('500 Internal Server Error');
    expect(res.headers[0]).toEqual(['B', '2']);
    expect(header(res.headers, 'X-Process-Time')).toMatch(/^\d+\.\d{2}$/);
  });
});

describe('Server-Timing', () => {
  it('adds app;dur=<ms> with the same value as X-Process-Time', async () => {
    const { environ } = makeEnviron();
    const res = await serve(timing(hello, { log: false, serverTiming: true }), environ);
    const value = header(res.headers, 'X-Process-Time');
    expect(header(res.headers, 'Server-Timing')).toBe(`app;dur=${value}`);
  });

  it('takes a metric name', async () => {
    const { environ } = makeEnviron();
    const res = await serve(timing(hello, { log: false, serverTiming: 'total' }), environ);
    expect(header(res.headers, 'Server-Timing')).toMatch(/^total;dur=\d+\.\d{2}$/);
  });

  it("appends to the app's Server-Timing instead of adding a second line", async () => {
    const app: Application = (_environ, startResponse) => {
      startResponse('200 OK', [['server-timing', 'db;dur=5']]);
      return [];
    };
    const { environ } = makeEnviron();
    const res = await serve(timing(app, { log: false, serverTiming: true }), environ);
    const lines = res.headers.filter(([n]) => n.toLowerCase() === 'server-timing');
    expect(lines).toHaveLength(1);
    expect(lines[0]![1]).toMatch(/^db;dur=5, app;dur=\d+\.\d{2}$/);
  });

  it('leaves an app metric of the same name alone', async () => {
    const app: Application = (_environ, startResponse) => {
      startResponse('200 OK', [['Server-Timing', 'db;dur=5, App;dur=9']]);
      return [];
    };
    const { environ } = makeEnviron();
    const res = await serve(timing(app, { log: false, serverTiming: true }), environ);
    expect(header(res.headers, 'Server-Timing')).toBe('db;dur=5, App;dur=9');
  });
});

describe('options', () => {
  it.each([
    [{ digits: -1 }, /digits/],
    [{ digits: 1.5 }, /digits/],
    [{ digits: 7 }, /digits/],
    [{ header: 'bad header' }, /header/],
    [{ header: '' }, /header/],
    [{ serverTiming: 'no spaces' }, /serverTiming/],
    [{ format: 'xml' }, /format/],
    [{ log: 'stdout' }, /log/],
  ])('rejects %o with a TypeError naming the option', (options, message) => {
    expect(() => timing(hello, options as never)).toThrow(TypeError);
    expect(() => timing(hello, options as never)).toThrow(message);
  });
});
