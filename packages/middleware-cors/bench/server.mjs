// One contender of the middleware benchmarks: hello world on @tsgi/node (built
// dist), wrapped as BENCH_MIDDLEWARE says: none | timing | timing-quiet |
// timing-headers | timing-file | cors | cors-headers | both. timing-file
// writes its log lines to a file in the directory BENCH_LOG_DIR.

import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { cors } from '@tsgi/middleware-cors';
import { timing } from '@tsgi/middleware-timing';
import { serve } from '@tsgi/node';

const ORIGIN = 'https://app.example';
const HELLO = new TextEncoder().encode('Hello, World!');
const HEADERS = [
  ['Content-Type', 'text/plain; charset=utf-8'],
  ['Content-Length', String(HELLO.byteLength)],
];

/** Hello world with `extra` headers after the two of every response. */
const helloWith = (extra) => {
  const headers = [...HEADERS, ...extra];
  return (_environ, startResponse) => {
    startResponse('200 OK', headers);
    return [HELLO];
  };
};
const hello = helloWith([]);

// Every contender, the baseline included, sees a cross-origin request: the
// harness sends no custom headers, so `Origin` is set here when absent.
const withOrigin = (app) => (environ, startResponse) => {
  if (environ.HTTP_ORIGIN === undefined) environ.HTTP_ORIGIN = ORIGIN;
  return app(environ, startResponse);
};

// The log line is formatted and written to tsgi.errors as by default; the
// server's error stream discards it, so the terminal's speed is not measured.
const withTiming = (app) => timing(app, { serverTiming: true });
const withCors = (app) =>
  cors(app, { origin: [ORIGIN], credentials: true, exposedHeaders: ['X-Process-Time'] });

// The headers each middleware adds, sent by the app itself (helloWith): what
// those bytes cost on the wire and in node:http, apart from the middleware's own code.

/** timing with its default options, its log line to `timing-<pid>.log` in BENCH_LOG_DIR. */
const withTimingToFile = (app) => {
  const dir = process.env.BENCH_LOG_DIR;
  if (dir === undefined) throw new Error('timing-file needs BENCH_LOG_DIR');
  return timing(app, { log: createWriteStream(join(dir, `timing-${process.pid}.log`)) });
};

const stacks = {
  none: hello,
  timing: withTiming(hello),
  'timing-quiet': timing(hello, { log: false }),
  'timing-headers': helloWith([
    ['X-Process-Time', '0.012'],
    ['Server-Timing', 'app;dur=0.012'],
  ]),
  cors: withCors(hello),
  'cors-headers': helloWith([
    ['Access-Control-Allow-Origin', ORIGIN],
    ['Access-Control-Allow-Credentials', 'true'],
    ['Access-Control-Expose-Headers', 'X-Process-Time'],
    ['Vary', 'Origin'],
  ]),
  both: withCors(withTiming(hello)),
};
// Built on demand: the stream opens a file.
if (process.env.BENCH_MIDDLEWARE === 'timing-file') stacks['timing-file'] = withTimingToFile(hello);
const which = process.env.BENCH_MIDDLEWARE ?? 'none';
const app = stacks[which];
if (app === undefined) throw new Error(`BENCH_MIDDLEWARE must be one of ${Object.keys(stacks)}`);

const server = await serve(withOrigin(app), {
  host: process.env.HOST ?? '127.0.0.1',
  port: Number(process.env.PORT ?? 0),
  errors: { write: () => true },
});
console.log(JSON.stringify({ port: server.address.port }));
