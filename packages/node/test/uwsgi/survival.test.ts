/**
 * No byte sequence from a peer ends a uwsgi worker: the listener runs in a
 * child process (so a crash is the child's exit, not the runner's), once with
 * an app that reads the body and once with one that never reads it. Each
 * sequence (bodies short, long or cut, odd lengths and modifiers, packets
 * whose size lies, garbage, the peer leaving at any point) is followed by a
 * normal request on a new connection, which must be answered, and the child
 * must still run.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { encodePacket } from '../../src/uwsgi/index.js';
import { type ChildListener, describeSurvival, type Leave } from '../gateway-child.js';
import { sendAndWait } from '../raw-connection.js';
import { nginxVars, parseResponse } from './helpers.js';

/** A POST packet with this CONTENT_LENGTH, Nginx's vars otherwise. */
const post = (length: string, modifier1 = 0, modifier2 = 0) =>
  encodePacket(nginxVars({ REQUEST_METHOD: 'POST', CONTENT_LENGTH: length }), modifier1, modifier2);

const known: Array<[string, Buffer]> = [
  ['the connection closed mid-body', Buffer.concat([post('5'), Buffer.from('he')])],
  ['a CONTENT_LENGTH past 2^53', post('99999999999999999999999')],
  ['a CONTENT_LENGTH over the body limit', Buffer.concat([post('2000000'), Buffer.from('he')])],
  ['more body than CONTENT_LENGTH', Buffer.concat([post('2'), Buffer.from('hello')])],
  ['a packet whose size runs past its bytes', Buffer.from([0, 0xff, 0xff, 0, 1, 2, 3])],
];

/** True once `bytes` hold a whole response with a Content-Length. */
function whole(bytes: Buffer): boolean {
  const end = bytes.indexOf('\r\n\r\n');
  const length = /\r\ncontent-length: *(\d+)/i.exec(bytes.subarray(0, end).toString('latin1'));
  return end !== -1 && length !== null && bytes.byteLength >= end + 4 + Number(length[1]);
}

/** A normal GET on a new connection: it must be answered 200. */
async function health(child: ChildListener, after: string): Promise<void> {
  child.assertAlive(after);
  const packet = encodePacket(nginxVars({ REQUEST_URI: '/health', PATH_INFO: '/health' }));
  const got = await sendAndWait(child.port, packet, whole);
  child.assertAlive(after);
  expect(got === 'hung' ? 'hung' : parseResponse(got).status, after).toBe(200);
}

const LENGTHS = ['', '0', '2', '5', '64', 'x', '-1', '2000000', '99999999999999999999999'];

/** A packet (its header may lie about its size), then body bytes and garbage, maybe cut. */
const sequence = fc
  .record({
    length: fc.constantFrom(...LENGTHS),
    modifier1: fc.oneof(fc.constantFrom(0, 0, 30), fc.integer({ min: 0, max: 255 })),
    modifier2: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 255 })),
    size: fc.option(fc.integer({ min: 0, max: 0xffff }), { freq: 5 }),
    body: fc.uint8Array({ maxLength: 100 }),
    garbage: fc.option(fc.uint8Array({ minLength: 1, maxLength: 40 }), { freq: 4 }),
    cut: fc.option(fc.nat({ max: 700 }), { freq: 3 }),
    leave: fc.constantFrom<Leave>('end', 'destroy', 'stall'),
  })
  .map(({ length, modifier1, modifier2, size, body, garbage, cut, leave }) => {
    const packet = post(length, modifier1, modifier2);
    if (size !== null) packet.writeUInt16LE(size, 1);
    const bytes = Buffer.concat([packet, body, ...(garbage === null ? [] : [garbage])]);
    return { bytes: cut === null ? bytes : bytes.subarray(0, cut), leave };
  });

describeSurvival('uwsgi', { title: 'uwsgi', known, sequence, health });
