import { connect, type Socket } from 'node:net';
import { statusLine } from '@tsgi/spec';
import { describe, expect, it } from 'vitest';
import { BOUNDS, bound } from '../../../../tools/test-support/index.ts';
import { encodePacket } from '../../src/uwsgi/index.js';
import { DeadlineSweep, type Watched } from '../../src/uwsgi/sweep.js';
import { text, until } from '../helpers.js';
import { nginxVars, request, startUwsgi } from './helpers.js';

/** Far past every deadline below: a close before it is the server's. */
const LATE = bound(BOUNDS.short);

/**
 * Opens a connection, runs `send` on it, and resolves with what came back and
 * when it closed (the client gives up at twice `LATE`).
 */
function watch(port: number, send: (socket: Socket) => void) {
  const started = Date.now();
  const socket = connect({ host: '127.0.0.1', port });
  socket.on('error', () => {});
  const got: Buffer[] = [];
  socket.on('data', (chunk) => got.push(chunk));
  send(socket);
  return new Promise<{ bytes: Buffer; after: number }>((resolve) => {
    const guard = setTimeout(() => socket.destroy(), 2 * LATE);
    socket.once('close', () => {
      clearTimeout(guard);
      resolve({ bytes: Buffer.concat(got), after: Date.now() - started });
    });
  });
}

describe('deadlines (one sweep timer per server)', () => {
  it('closes a packet that is still not whole at headersTimeout, without an answer, even while it trickles', async () => {
    const { port } = await startUwsgi(
      () => {
        throw new Error('the app must not run');
      },
      { headersTimeout: 300, idleTimeout: 2000 },
    );
    const packet = encodePacket(nginxVars());
    let timer: NodeJS.Timeout | undefined;
    let sent = 0;
    const result = await watch(port, (socket) => {
      // One byte every 50 ms: always moving, never whole within the deadline.
      timer = setInterval(() => {
        if (sent < packet.byteLength - 1 && !socket.destroyed)
          socket.write(packet.subarray(sent, ++sent));
      }, 50);
    });
    clearInterval(timer);
    expect(result.bytes.byteLength).toBe(0);
    expect(result.after).toBeGreaterThanOrEqual(280);
    // Closed by the server while the bytes kept coming, not when the packet was whole.
    expect(result.after).toBeLessThan(LATE);
    expect(sent).toBeLessThan(packet.byteLength - 1);
  });

  it('cuts a served connection that stays idle for idleTimeout (a body that never comes)', async () => {
    let failed: unknown;
    const { port } = await startUwsgi(
      async (environ, startResponse) => {
        try {
          await environ['tsgi.input'].read();
        } catch (error) {
          failed = error;
        }
        startResponse(statusLine(200), [['Content-Length', '2']]);
        return [text('ok')];
      },
      // The packet has a whole second to arrive; the idle timeout is the one that cuts.
      { headersTimeout: 1000, idleTimeout: 400 },
      true,
    );
    const result = await watch(port, (socket) =>
      socket.write(encodePacket(nginxVars({ REQUEST_METHOD: 'POST', CONTENT_LENGTH: '10' }))),
    );
    expect(result.after).toBeGreaterThanOrEqual(380);
    expect(result.after).toBeLessThan(LATE);
    await until(() => failed !== undefined, 'the read to fail');
    expect(failed).toBeInstanceOf(Error);
  });

  it('never cuts a response that keeps moving for longer than idleTimeout', async () => {
    const { port } = await startUwsgi(
      (_environ, startResponse) => {
        startResponse(statusLine(200), [['Content-Length', '30']]);
        return (async function* () {
          // 3 s in all, twice the idle timeout; each pause a tenth of it.
          for (let i = 0; i < 30; i++) {
            await new Promise((r) => setTimeout(r, 100));
            yield text('x');
          }
        })();
      },
      { headersTimeout: 1000, idleTimeout: 1500 },
    );
    const answer = await request(port);
    expect(answer.status).toBe(200);
    expect(answer.body.toString()).toBe('x'.repeat(30));
    expect(answer.ending).toBe('end');
  });

  it('stops its timer once no connection is left, and starts it again for the next', async () => {
    const live = new Set<Watched>();
    const sweep = new DeadlineSweep(live, 20_000, 120_000);
    expect(sweep.interval).toBe(1000);
    sweep.start();
    const timer = () => (sweep as unknown as { timer: NodeJS.Timeout | undefined }).timer;
    expect(timer()).toBeDefined();
    expect(timer()!.hasRef()).toBe(false);
    sweep.sweep(Date.now());
    expect(timer()).toBeUndefined();
    const destroyed: string[] = [];
    const fake = (name: string, busy: boolean, deadline: number): Watched => ({
      socket: { bytesRead: 0, bytesWritten: 0, destroy: () => destroyed.push(name) } as never,
      busy,
      deadline,
      seen: 0,
    });
    live.add(fake('late packet', false, 1000));
    live.add(fake('packet in time', false, 5000));
    live.add(fake('no deadline', true, 0));
    live.add(fake('idle', true, 2000));
    sweep.sweep(3000);
    expect(destroyed).toEqual(['late packet', 'idle']);
    expect(new DeadlineSweep(live, 200, 1000).interval).toBe(50);
    expect(new DeadlineSweep(live, 0, 0).interval).toBe(1000);
  });
});
