/**
 * RawSocket on its own, over real loopback connections: what the uwsgi and
 * FastCGI listeners rely on it for, each checked against what a net.Socket does.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { acceptRawSockets } from '../../src/wire/accept.js';
import type { RawSocket } from '../../src/wire/raw-socket.js';
import { until } from '../helpers.js';

const servers: Server[] = [];
const clients: Socket[] = [];
const raws: RawSocket[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  for (const raw of raws.splice(0)) raw.destroy();
  await Promise.all(
    servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))),
  );
});

/** A server whose connections come as RawSockets, and one client connected to it. */
async function pair(): Promise<{ raw: RawSocket; client: Socket }> {
  const server = createServer();
  servers.push(server);
  let raw: RawSocket | undefined;
  expect(
    acceptRawSockets(server, (socket) => {
      raw = socket;
      raws.push(socket);
    }),
  ).toBe(true);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const client = connect({ host: '127.0.0.1', port });
  clients.push(client);
  client.on('error', () => {});
  await until(() => raw !== undefined, 'the raw socket');
  return { raw: raw!, client };
}

/** Everything `client` reads until the server closes. */
function readAll(client: Socket): Promise<Buffer> {
  const chunks: Buffer[] = [];
  client.on('data', (chunk) => chunks.push(chunk));
  return new Promise((resolve) => client.on('close', () => resolve(Buffer.concat(chunks))));
}

describe('RawSocket', () => {
  it("a corked write past the high-water mark returns false, and 'drain' follows once it is out", async () => {
    const { raw, client } = await pair();
    const drained = new Promise((resolve) => raw.once('drain', resolve));
    raw.cork();
    expect(raw.write(Buffer.alloc(40_000, 1))).toBe(true);
    expect(raw.write(Buffer.alloc(40_000, 2))).toBe(false);
    raw.uncork();
    await drained;
    const got = readAll(client);
    raw.end();
    client.end();
    expect((await got).byteLength).toBe(80_000);
  });

  it('a write callback runs after write returns, and after the bytes are out when the write waited', async () => {
    const { raw, client } = await pair();
    client.pause();
    const order: string[] = [];
    raw.write(Buffer.from('small'), () => order.push('small done'));
    order.push('returned');
    const big = Buffer.alloc(8 * 1024 * 1024, 3);
    let bigDone = false;
    raw.write(big, () => {
      bigDone = true;
    });
    // The client reads nothing: 8 MiB cannot all be in the kernel, so no event says the
    // callback will not come; a short look that it has not.
    await new Promise((r) => setTimeout(r, 50));
    expect(bigDone).toBe(false);
    expect(order).toEqual(['returned', 'small done']);
    const got = readAll(client);
    client.resume();
    await until(() => bigDone, 'the big write');
    raw.destroySoon();
    expect((await got).byteLength).toBe(5 + big.byteLength);
  });

  it('destroySoon after writes still queued closes only once they are out: nothing is lost', async () => {
    const { raw, client } = await pair();
    client.pause();
    const big = Buffer.alloc(4 * 1024 * 1024, 7);
    raw.write(big);
    raw.destroySoon();
    expect(raw.destroyed).toBe(false);
    const got = readAll(client);
    client.resume();
    const bytes = await got;
    expect(bytes.byteLength).toBe(big.byteLength);
    expect(raw.closed).toBe(true);
    expect(raw.writableFinished).toBe(true);
  });

  it("setTimeout: 'timeout' after silence, and traffic afterwards arms it again", async () => {
    const { raw, client } = await pair();
    let timeouts = 0;
    raw.on('timeout', () => timeouts++);
    raw.setTimeout(60);
    await until(() => timeouts === 1, 'the first timeout');
    client.write('x');
    await until(() => timeouts === 2, 'a timeout after new traffic');
    raw.setTimeout(0);
    client.write('y');
    // No event marks a timeout that does not come: a look after well over the old 60 ms.
    await new Promise((r) => setTimeout(r, 150));
    expect(timeouts).toBe(2);
  });

  it("while paused it holds what comes, then gives it in order, with 'end' last", async () => {
    const { raw, client } = await pair();
    const seen: string[] = [];
    raw.on('data', (chunk: Buffer) => seen.push(chunk.toString()));
    raw.on('end', () => seen.push('<end>'));
    raw.pause();
    client.write('one ');
    // Apart, so they tend to come as two reads.
    await new Promise((r) => setTimeout(r, 30));
    client.end('two');
    // Nothing is given while paused, and no event says so: a short look.
    await new Promise((r) => setTimeout(r, 30));
    expect(seen).toEqual([]);
    raw.resume();
    // What was held comes first, in order; 'end' last (on a loaded machine the
    // FIN may still be on its way when resume() runs, so wait for it).
    await until(() => seen.includes('<end>'), "'end'");
    expect(seen.join('')).toBe('one two<end>');
    raw.end();
    await until(() => raw.closed, 'the close after both ends');
  });

  it("a peer that resets while paused is seen at once: 'close' comes", async () => {
    const { raw, client } = await pair();
    raw.pause();
    raw.write(Buffer.alloc(1000));
    let closed = false;
    raw.on('close', () => {
      closed = true;
    });
    client.resetAndDestroy();
    await until(() => closed, 'the close after a reset');
  });
});
