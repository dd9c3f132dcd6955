import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { guarded, until } from '../../../../tools/test-support/index.ts';
import { type OutsideServer, startReferenceServer } from './outside-servers.js';
import { OP, type RawFrame, type RawOutcome, RawSocket } from './raw-frames.js';
import { type ChildServer, startTsgiChild } from './tsgi-child.js';

// Frames no well-behaved client sends, written byte by byte to the bare `ws`
// reference and to @tsgi/node, both with a 64 KiB message limit. Each must
// fail the connection with the close code RFC 6455 names, and the two must
// answer alike: same messages first, same close frame, connection ended.
// @tsgi/node runs in a child process, so a broken frame that crashed it would
// show as that child's death, named with its stderr; after every exchange the
// child must still run.

const LIMIT = 64 * 1024;

let servers: OutsideServer[] = [];
let tsgi: ChildServer | undefined;

beforeAll(async () => {
  const reference = await startReferenceServer({ maxMessage: LIMIT });
  servers = [reference];
  tsgi = await startTsgiChild(LIMIT);
  servers.push(tsgi);
});

// A case that killed the child fails alone: the next one gets a fresh child.
beforeEach(async () => {
  if (tsgi === undefined || tsgi.running()) return;
  const dead = tsgi;
  tsgi = await startTsgiChild(LIMIT);
  servers[1] = tsgi;
  await dead.close();
});

afterAll(() =>
  guarded(
    () => expect(servers.flatMap((server) => server.violations())).toEqual([]),
    () => servers[0]?.close(),
    () => servers[1]?.close(),
  ),
);

/**
 * Proves `server` still serves after `context`: a new connection gets a
 * message echoed. When that fails on the @tsgi/node child, waits for the child
 * to exit and throws its death, with its stderr.
 */
async function assertServes(server: OutsideServer, context: string): Promise<void> {
  try {
    const socket = await RawSocket.open(server.port, '/echo');
    await guarded(
      async () => {
        socket.write({ opcode: OP.text, payload: 'still there?' });
        await socket.untilMessages(1);
        expect(socket.outcome().messages).toEqual(['still there?']);
      },
      () => socket.destroy(),
    );
  } catch (error) {
    const child = server === tsgi ? tsgi : undefined;
    if (child === undefined) throw error;
    await until(() => !child.running(), { what: 'the child to exit or answer' }).catch(() => {
      throw error;
    });
    child.assertAlive(`after ${context}`);
  }
}

/**
 * Opens `/echo` on `server` raw, writes `frames`, and waits for the server to
 * end the connection. With `echoes`, the last frame goes only once that many
 * messages came back: a server whose app echoes from an async loop answers
 * them a turn later, and a bad frame in the same TCP segment would fail the
 * connection first (Autobahn grades that NON-STRICT; these cases check codes).
 */
async function exchange(
  server: OutsideServer,
  frames: RawFrame[],
  echoes = 0,
): Promise<RawOutcome> {
  const socket = await RawSocket.open(server.port, '/echo');
  const outcome = await guarded(
    async () => {
      if (echoes > 0) {
        socket.write(...frames.slice(0, -1));
        await socket.untilMessages(echoes);
        socket.write(...frames.slice(-1));
      } else {
        socket.write(...frames);
      }
      return await socket.untilEnded();
    },
    () => socket.destroy(),
  );
  await assertServes(
    server,
    JSON.stringify(frames, (_key, value) => summarize(value)),
  );
  return outcome;
}

/** Frames as a short text for an error message: large payloads by their length. */
function summarize(value: unknown): unknown {
  return value instanceof Uint8Array ? `<${value.byteLength} bytes>` : value;
}

/** Runs `frames` against both servers: what each saw, by name. */
async function againstBoth(frames: RawFrame[], echoes = 0): Promise<Record<string, RawOutcome>> {
  const outcomes: Record<string, RawOutcome> = {};
  for (const server of servers) outcomes[server.name] = await exchange(server, frames, echoes);
  return outcomes;
}

/** The outcome of a connection failed with `code`, after `messages` were echoed. */
function failedWith(code: number, messages: RawOutcome['messages'] = []) {
  return {
    messages,
    close: { code, reason: expect.any(String) },
    ended: true,
  };
}

/** Both servers fail the connection with `code`, and agree on every detail. */
async function expectBothFail(
  frames: RawFrame[],
  code: number,
  messages?: RawOutcome['messages'],
): Promise<void> {
  const outcomes = await againstBoth(frames, messages?.length);
  expect(outcomes).toEqual({
    reference: failedWith(code, messages),
    tsgi: failedWith(code, messages),
  });
  expect(outcomes.tsgi).toEqual(outcomes.reference);
}

const hello = { opcode: OP.text, payload: 'hello' };

describe('close 1002 (protocol error), reference and @tsgi/node alike', () => {
  it('for an unmasked client frame', async () => {
    await expectBothFail([{ ...hello, masked: false }], 1002);
  });

  it('for a reserved data opcode (0x3) and a reserved control opcode (0xB)', async () => {
    await expectBothFail([hello, { opcode: 0x3, payload: 'x' }], 1002, ['hello']);
    await expectBothFail([hello, { opcode: 0xb }], 1002, ['hello']);
  });

  it.each([
    ['RSV1', 4],
    ['RSV2', 2],
    ['RSV3', 1],
  ])('for a frame with %s set and no extension negotiated', async (_name, rsv) => {
    await expectBothFail([hello, { ...hello, rsv }], 1002, ['hello']);
  });

  it('for a fragmented ping', async () => {
    await expectBothFail(
      [
        { opcode: OP.ping, payload: 'pi', fin: false },
        { opcode: OP.continuation, payload: 'ng' },
      ],
      1002,
    );
  });
});

describe('close 1007 (invalid data), reference and @tsgi/node alike', () => {
  it('for a text message that is not UTF-8', async () => {
    await expectBothFail(
      [hello, { opcode: OP.text, payload: Uint8Array.of(0x68, 0xff, 0x69) }],
      1007,
      ['hello'],
    );
  });

  it('for a UTF-16 surrogate encoded in a fragmented text message', async () => {
    await expectBothFail(
      [
        { opcode: OP.text, payload: 'edit', fin: false },
        { opcode: OP.continuation, payload: Uint8Array.of(0xed, 0xa0, 0x80) },
      ],
      1007,
    );
  });
});

describe(`close 1009 (too big) over a ${LIMIT}-byte limit, reference and @tsgi/node alike`, () => {
  it('echoes a message of exactly the limit', async () => {
    const outcomes: Record<string, RawOutcome> = {};
    for (const server of servers) {
      const socket = await RawSocket.open(server.port, '/echo');
      outcomes[server.name] = await guarded(
        async () => {
          socket.write({ opcode: OP.binary, payload: new Uint8Array(LIMIT).fill(7) });
          await socket.untilMessages(1);
          socket.write({ opcode: OP.close, payload: Uint8Array.of(0x03, 0xe8) });
          return await socket.untilEnded();
        },
        () => socket.destroy(),
      );
      await assertServes(server, 'a message of exactly the limit');
    }
    const clean = { messages: [{ binary: LIMIT }], close: { code: 1000, reason: '' }, ended: true };
    expect(outcomes).toEqual({ reference: clean, tsgi: clean });
  });

  it('for one frame a byte over the limit', async () => {
    await expectBothFail([{ opcode: OP.binary, payload: new Uint8Array(LIMIT + 1) }], 1009);
  });

  it('for a message over the limit in fragments each under it', async () => {
    const half = new Uint8Array(LIMIT / 2 + 1);
    await expectBothFail(
      [
        { opcode: OP.binary, payload: half, fin: false },
        { opcode: OP.continuation, payload: half },
      ],
      1009,
    );
  });

  it('from the frame header alone: a header announcing 1 GiB, with no payload sent', async () => {
    // Nothing follows the header: a server that waited for the payload before
    // checking its length would never answer, and untilEnded() would time out.
    await expectBothFail([{ opcode: OP.binary, headerOnly: 2 ** 30 }], 1009);
    await expectBothFail([{ opcode: OP.text, headerOnly: LIMIT + 1 }], 1009);
  });
});
