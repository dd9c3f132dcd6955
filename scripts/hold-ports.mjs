// Holds listening sockets on many loopback ports, as a busy machine's other
// services do, so that a test which guesses a port instead of asking the
// kernel for one (port 0) collides instead of passing by luck.
//
//   node scripts/hold-ports.mjs            every 10th port of 20000-40000 (the range
//                                          tests used to guess from), every 100th of
//                                          1024-65000, and the usual development ports
//
// Prints one line `holding N ports` once they are all bound (ports already in
// use are skipped), then holds them until SIGTERM or SIGINT. Nothing connects
// to them; a connection that does arrive is closed at once.
import { createServer } from 'node:net';

const COMMON = [
  3000, 3001, 4000, 5000, 5173, 5432, 6379, 8000, 8001, 8002, 8008, 8080, 8081, 8443, 8888, 9000,
  9090,
];

function ports() {
  const set = new Set(COMMON);
  for (let p = 20000; p <= 40000; p += 10) set.add(p);
  for (let p = 1100; p <= 65000; p += 100) set.add(p);
  return [...set].sort((a, b) => a - b);
}

function hold(port) {
  return new Promise((resolve) => {
    const server = createServer((socket) => socket.destroy());
    server.once('error', () => resolve(undefined));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => resolve(server));
  });
}

const servers = (await Promise.all(ports().map(hold))).filter(Boolean);
console.log(`holding ${servers.length} ports`);
const stop = () => {
  for (const server of servers) server.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
setInterval(() => {}, 1 << 30);
