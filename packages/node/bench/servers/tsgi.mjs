// Contender: @tsgi/node (built dist) serving a TSGI app. The app's work is the
// raw contender's: jsonResponse JSON.stringifies the object, encodes it with
// Buffer.from and starts the response with Content-Type and Content-Length;
// the server then sends it with one writeHead and one end(bytes). Same
// keep-alive behaviour as raw node:http (persistent connections, timeout=5).
// BENCH_METRICS=1 turns the metrics collector on (bench/metrics.ts);
// BENCH_ACCESS_LOG=json turns the JSON access log on, to a file in the
// directory BENCH_LOG_DIR written as `tsgi --access-log json > file` writes
// it: process.stdout on a file is a Writable that writes each chunk with
// fs.writeSync (bench/access-log.ts).
import { openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { jsonResponse } from '@tsgi/spec';
import { serve } from '../../dist/index.js';
import { MetricsCollector } from '../../dist/metrics.js';

const app = (_environ, startResponse) => jsonResponse(startResponse, 200, { hello: 'world' });

/**
 * The access log's stream: a Writable over a file that writes each chunk with
 * fs.writeSync, as process.stdout does when it is redirected to a file.
 */
const accessLogFile = () => {
  const dir = process.env.BENCH_LOG_DIR;
  if (dir === undefined) throw new Error('BENCH_ACCESS_LOG needs BENCH_LOG_DIR');
  const fd = openSync(join(dir, `access-${process.pid}.log`), 'a');
  return new Writable({
    write(chunk, _encoding, done) {
      writeSync(fd, chunk);
      done();
    },
  });
};
const accessLog = process.env.BENCH_ACCESS_LOG === 'json' ? 'json' : false;

const server = await serve(app, {
  host: process.env.HOST ?? '127.0.0.1',
  port: Number(process.env.PORT ?? 0),
  metrics: process.env.BENCH_METRICS === '1' ? new MetricsCollector() : false,
  accessLog,
  ...(accessLog === false ? {} : { accessLogStream: accessLogFile() }),
});
console.log(JSON.stringify({ port: server.address.port }));
