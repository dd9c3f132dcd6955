import { Writable } from 'node:stream';
import { type Application, flushLineBuffers } from '@tsgi/spec';
import { describe, expect, it } from 'vitest';
import { until } from '../../../tools/test-support/index.ts';
import { timing } from '../src/index.ts';
import { encoder, makeEnviron, serve } from './harness.ts';

const hello: Application = (_environ, startResponse) => {
  startResponse('200 OK', []);
  return [encoder.encode('ok')];
};

/** A real Writable that counts its write calls and keeps what it got. */
class CountingStream extends Writable {
  writes = 0;
  text = '';

  constructor() {
    super({ decodeStrings: false });
  }

  override write(chunk: unknown, ...rest: unknown[]): boolean {
    this.writes++;
    return (super.write as (...args: unknown[]) => boolean)(chunk, ...rest);
  }

  override _write(chunk: string, _encoding: string, done: () => void): void {
    this.text += chunk;
    done();
  }
}

describe('log: a writable stream', () => {
  it('writes the lines in batches: every line, in order, in far fewer writes', async () => {
    const stream = new CountingStream();
    const app = timing(hello, { format: 'json', log: stream });
    for (let i = 0; i < 500; i++) {
      const { environ, errors } = makeEnviron({ PATH_INFO: `/item/${i}` });
      await serve(app, environ);
      expect(errors).toEqual([]);
    }
    expect(await flushLineBuffers()).toBe(true);
    const lines = stream.text.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((line) => JSON.parse(line).path)).toEqual(
      Array.from({ length: 500 }, (_, i) => `/item/${i}`),
    );
    expect(stream.writes).toBeLessThan(10);
  });

  it('writes a batch on its own within the interval, without a flush', async () => {
    const stream = new CountingStream();
    const app = timing(hello, { log: stream });
    await serve(app, makeEnviron().environ);
    await until(() => stream.writes === 1, {
      what: "the line buffer's timer to write the line",
      details: () => `writes: ${stream.writes}`,
    });
    expect(stream.text).toMatch(/^\[\d\d:\d\d:\d\d\] GET \/health → \d+\.\dms\n$/);
  });

  it('takes any object with write', async () => {
    const chunks: string[] = [];
    const app = timing(hello, { log: { write: (chunk: string) => chunks.push(chunk) } });
    await serve(app, makeEnviron().environ);
    await serve(app, makeEnviron().environ);
    await flushLineBuffers();
    expect(chunks).toHaveLength(1);
    expect(chunks[0]!.split('\n')).toHaveLength(3);
  });

  it('refuses a log value that is neither a boolean, a function nor a stream', () => {
    expect(() => timing(hello, { log: 42 as never })).toThrow(
      'timing: "log" must be a boolean, a function or a writable stream',
    );
    expect(() => timing(hello, { log: {} as never })).toThrow(TypeError);
  });
});
