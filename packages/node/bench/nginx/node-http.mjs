// The reference: raw node:http on a Unix socket, with WORKERS processes via node:cluster
// (the OS balances connections, as tsgi's master does), answering the same small JSON.
import cluster from 'node:cluster';
import { unlinkSync } from 'node:fs';
import { createServer } from 'node:http';

const socket = process.env.SOCKET;
const workers = Number(process.env.WORKERS ?? 2);

if (cluster.isPrimary) {
  try {
    unlinkSync(socket);
  } catch {}
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  let ready = 0;
  for (let i = 0; i < workers; i++) {
    cluster.fork().on('listening', () => {
      if (++ready === workers) console.error(`listening on unix:${socket}`);
    });
  }
  process.on('SIGTERM', () => {
    for (const worker of Object.values(cluster.workers)) worker.kill();
    process.exit(0);
  });
} else {
  const server = createServer((_req, res) => {
    const body = JSON.stringify({ hello: 'world' });
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  });
  server.keepAliveTimeout = 75_000;
  server.listen(socket);
}
