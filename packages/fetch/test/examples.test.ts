// Each file of examples/ (the README and docs/packages/fetch.md show them) runs as a user runs it,
// on its real runtime, and answers a request: bun.ts on Bun, deno.ts on Deno, worker.ts on both (`bun`, `deno serve`),
// hono.ts on Node, and the WebSocket echo (echo.ts) in bun-echo.ts on Bun and deno-echo.ts on Deno. The commands are the ones the examples' first lines give, on a port the kernel
// picks (PORT=0, `--port 0`) and on 127.0.0.1.
import { afterEach, beforeAll, expect, inject, it } from 'vitest';
import { send } from './support/http.ts';
import { assertBuilt, type ChildServer, startServer } from './support/processes.ts';
import { connect } from './support/websocket-client.ts';

const running: ChildServer[] = [];

beforeAll(() => assertBuilt(['fetch', 'spec', 'router', 'node']));

afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.stop()));
});

/** Starts an example and returns the JSON it answers to `GET path`. */
async function answer(command: string, args: string[], path: string): Promise<unknown> {
  const server = await startServer(command, args);
  running.push(server);
  const response = await send(server.port, { method: 'GET', path });
  expect(response.status, server.output()).toBe(200);
  return JSON.parse(response.body.toString());
}

/** What examples/app.ts answers to GET /hi from this machine. */
const HELLO = { hello: 'world', path: '/hi', client: '127.0.0.1' };

it('bun examples/bun.ts', async () => {
  expect(await answer(inject('bunBin'), ['examples/bun.ts'], '/hi')).toEqual(HELLO);
});

it('deno run examples/deno.ts', async () => {
  const args = ['run', '--allow-net', '--allow-env=PORT', 'examples/deno.ts'];
  expect(await answer(inject('denoBin'), args, '/hi')).toEqual(HELLO);
});

it('bun examples/worker.ts', async () => {
  // Bun serves the default export on every interface: the preload keeps it on 127.0.0.1.
  const args = ['--preload', './test/fixtures/bun-loopback.ts', 'examples/worker.ts'];
  expect(await answer(inject('bunBin'), args, '/hi')).toEqual(HELLO);
});

it('deno serve examples/worker.ts', async () => {
  const args = ['serve', '--host', '127.0.0.1', '--port', '0', 'examples/worker.ts'];
  expect(await answer(inject('denoBin'), args, '/hi')).toEqual(HELLO);
});

/** Starts a WebSocket echo example, and has it echo a text and a binary message in the offered protocol. */
async function echoes(command: string, args: string[]): Promise<void> {
  const server = await startServer(command, args);
  running.push(server);
  const client = await connect(server.port, '/', ['echo']);
  client.socket.send('hello');
  client.socket.send(new Uint8Array([1, 2, 3]));
  const text = await client.next();
  const bytes = await client.next();
  expect([
    client.socket.protocol,
    text.data.toString(),
    text.binary,
    [...bytes.data],
    bytes.binary,
  ]).toEqual(['echo', 'hello', false, [1, 2, 3], true]);
  client.socket.close(1000);
  await client.closed();
}

it('bun examples/bun-echo.ts', () => echoes(inject('bunBin'), ['examples/bun-echo.ts']));

it('deno run examples/deno-echo.ts', () =>
  echoes(inject('denoBin'), ['run', '--allow-net', '--allow-env=PORT', 'examples/deno-echo.ts']));

/** Whether this Node runs TypeScript files itself (type stripping, on by default since 22.18). */
function stripsTypes(): boolean {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  return major > 22 || (major === 22 && minor >= 18);
}

it('node examples/hono.ts: the Hono app under /hono, a TSGI route beside it', async () => {
  const args = stripsTypes() ? ['examples/hono.ts'] : ['--import', 'tsx', 'examples/hono.ts'];
  const server = await startServer(process.execPath, args);
  running.push(server);
  const hono = await send(server.port, { method: 'GET', path: '/hono/users/7' });
  expect([hono.status, JSON.parse(hono.body.toString())], server.output()).toEqual([
    200,
    { id: '7' },
  ]);
  const health = await send(server.port, { method: 'GET', path: '/health' });
  expect(JSON.parse(health.body.toString())).toEqual({ status: 'ok' });
});
