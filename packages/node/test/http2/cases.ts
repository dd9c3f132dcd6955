/**
 * The frame-level HTTP/2 conformance cases: RFC 9113 (and RFC 7541 for HPACK)
 * rules from the sections h2spec covers, as data.
 *
 * Each case names its section, the frames a client sends (`steps`, played by
 * `h2-frames.py`, a Python client built on Debian's python3-h2, hyperframe
 * and hpack), and what the RFC requires (`rfc`). Where bare `node:http2`
 * does something else, `node` says what it does and holds that outcome; the
 * RFC's expectation stays beside it. Deviations are recorded per Node major
 * (`NODE_DEVIATIONS`, keyed by the line of majors that behave alike: Node 20,
 * and Node >= 22, seen on 22, 24 and 26), each from real runs; `CASES` carries
 * the deviations of the Node running the test, so every supported major is
 * held to what it actually does. A major not yet run is judged as the latest
 * line; a failure there means its behaviour is to be recorded.
 * `frames.test.ts` runs every case against bare `node:http2`, over TLS (ALPN
 * h2) and cleartext (prior knowledge), through `describeFrameConformance()`
 * in `conformance.ts`, which takes any server factory: a server held to
 * "everything bare node:http2 passes, and never crash" plugs in there.
 *
 * Run: `npx vitest run test/http2/frames.test.ts` in packages/node (needs
 * `/usr/bin/python3` with python3-h2: scripts/install-system-deps.sh).
 * One case by hand, against a server on 127.0.0.1:PORT:
 * `echo '{"steps":[...]}' | /usr/bin/python3 test/http2/h2-frames.py 127.0.0.1 PORT h2c NAME 10`.
 *
 * The server under test serves `/` (200, `hello`), `/echo` (200, the request
 * body), `/large` (200, 100,000 bytes) and `/hold` (200 and `held`, never
 * ended), and advertises SETTINGS_MAX_CONCURRENT_STREAMS (100 for node).
 */
import { FIELD_CASES } from './cases-fields.ts';
import { FRAME_CASES } from './cases-frames.ts';
import { STREAM_CASES } from './cases-streams.ts';
import { connectionError, type FrameCase, type Outcome } from './steps.ts';

/** What bare node:http2 does where RFC 9113 says otherwise, and that outcome. */
export interface Deviation {
  what: string;
  outcome: Outcome;
}

/** The lines of Node majors whose node:http2 (and bundled nghttp2) behave alike. */
export type NodeLine = 'Node 20' | 'Node >= 22';

const INTERNAL = connectionError('INTERNAL_ERROR');
const GOAWAY_INTERNAL =
  'GOAWAY INTERNAL_ERROR instead of the RFC code: nghttp2 finds the error, node then destroys the session with its own code';
const PROTOCOL = connectionError('PROTOCOL_ERROR');
const NOT_STREAM_ERROR = 'a connection error, not a stream error';

/** Where every supported Node major deviates alike. */
const EVERY_NODE: Record<string, Deviation> = {
  '5.1-data-on-closed-stream': { what: 'ignores the DATA', outcome: { ignored: true } },
  '5.1-data-after-rst-stream': { what: 'ignores the DATA', outcome: { ignored: true } },
  '5.1-headers-after-rst-stream': { what: 'ignores the HEADERS', outcome: { ignored: true } },
  '5.1.1-decreasing-stream-id': {
    what: 'ignores the HEADERS on the lower stream id: no answer, no error',
    outcome: { ignored: true },
  },
  '5.1.1-stream-id-reuse': {
    what: 'ignores the second HEADERS on stream 1: no answer, no error',
    outcome: { ignored: true },
  },
  '8.2.1-field-value-with-newline': {
    what: 'drops the field and answers 200 (no stream error): the app never sees the value with CR LF',
    outcome: { response: { stream: 1, status: 200, body: 'hello' } },
  },
};

/** Node 20: most connection errors end in GOAWAY INTERNAL_ERROR. */
const NODE_20: Record<string, Deviation> = {
  '6.2-headers-on-stream-0': { what: GOAWAY_INTERNAL, outcome: INTERNAL },
  '6.3-priority-on-stream-0': { what: GOAWAY_INTERNAL, outcome: INTERNAL },
  '6.4-rst-stream-on-stream-0': { what: GOAWAY_INTERNAL, outcome: INTERNAL },
  '6.5-settings-on-stream': { what: GOAWAY_INTERNAL, outcome: INTERNAL },
  '6.5.2-enable-push-2': { what: GOAWAY_INTERNAL, outcome: INTERNAL },
  '6.5.2-initial-window-size-too-large': { what: GOAWAY_INTERNAL, outcome: INTERNAL },
  '6.5.2-max-frame-size-too-small': { what: GOAWAY_INTERNAL, outcome: INTERNAL },
  '6.5.2-max-frame-size-too-large': { what: GOAWAY_INTERNAL, outcome: INTERNAL },
  '6.7-ping-on-stream': { what: GOAWAY_INTERNAL, outcome: INTERNAL },
  '6.8-goaway-on-stream': { what: GOAWAY_INTERNAL, outcome: INTERNAL },
  '6.9-window-update-zero-on-connection': { what: GOAWAY_INTERNAL, outcome: INTERNAL },
  '6.9-window-update-zero-on-stream': {
    what: `${NOT_STREAM_ERROR}: ${GOAWAY_INTERNAL}`,
    outcome: INTERNAL,
  },
  '6.9.1-connection-window-overflow': { what: GOAWAY_INTERNAL, outcome: INTERNAL },
  '5.1-rst-stream-on-idle-stream': { what: GOAWAY_INTERNAL, outcome: INTERNAL },
  '5.1-window-update-on-idle-stream': { what: GOAWAY_INTERNAL, outcome: INTERNAL },
  '5.1-headers-on-half-closed-remote': {
    what: `${NOT_STREAM_ERROR}: ${GOAWAY_INTERNAL}`,
    outcome: INTERNAL,
  },
  '5.1.1-even-stream-id': { what: GOAWAY_INTERNAL, outcome: INTERNAL },
  '5.1.2-exceed-max-concurrent-streams': {
    what: 'ends the whole connection instead of refusing the one stream over the limit: over cleartext RST_STREAM INTERNAL_ERROR on every open stream and GOAWAY INTERNAL_ERROR; over TLS RST_STREAM INTERNAL_ERROR on stream 1, then the connection closes',
    outcome: { streamError: ['INTERNAL_ERROR'] },
  },
  '5.3.1-headers-depends-on-itself': {
    what: `${NOT_STREAM_ERROR}: ${GOAWAY_INTERNAL}`,
    outcome: INTERNAL,
  },
};

/**
 * Node 22, 24 and 26: connection errors carry the RFC's code; what is left
 * is PRIORITY ignored, even where RFC 9113 calls it an error, and stream
 * errors raised as connection errors.
 */
const NODE_22_UP: Record<string, Deviation> = {
  '6.3-priority-on-stream-0': {
    what: 'ignores the PRIORITY: no GOAWAY, the PING after it is answered',
    outcome: { ignored: true },
  },
  '5.3.1-priority-depends-on-itself': {
    what: 'ignores the PRIORITY: no RST_STREAM, the PING after it is answered',
    outcome: { ignored: true },
  },
  '6.9-window-update-zero-on-stream': {
    what: `${NOT_STREAM_ERROR}: GOAWAY PROTOCOL_ERROR`,
    outcome: PROTOCOL,
  },
  '5.1-headers-on-half-closed-remote': {
    what: `${NOT_STREAM_ERROR}: GOAWAY STREAM_CLOSED`,
    outcome: connectionError('STREAM_CLOSED'),
  },
  '5.1.2-exceed-max-concurrent-streams': {
    what: 'ends the whole connection instead of refusing the one stream over the limit: GOAWAY PROTOCOL_ERROR, no RST_STREAM',
    outcome: PROTOCOL,
  },
  '5.3.1-headers-depends-on-itself': {
    what: `${NOT_STREAM_ERROR}: GOAWAY PROTOCOL_ERROR`,
    outcome: PROTOCOL,
  },
};

/**
 * What bare node:http2 does where RFC 9113 says otherwise, per line of Node
 * majors, by case name. Seen over TLS and cleartext alike.
 */
export const NODE_DEVIATIONS: Record<NodeLine, Record<string, Deviation>> = {
  'Node 20': { ...EVERY_NODE, ...NODE_20 },
  'Node >= 22': { ...EVERY_NODE, ...NODE_22_UP },
};

/** The line a Node major belongs to (a major newer than 26 is judged as the latest line). */
export function nodeLine(major: number): NodeLine {
  return major < 22 ? 'Node 20' : 'Node >= 22';
}

/** The major of the Node running this code. */
export const NODE_MAJOR = Number(process.versions.node.split('.')[0]);

/** Every case, in section order within each group, with the deviations of `line` attached. */
export function casesFor(line: NodeLine): FrameCase[] {
  const deviations = NODE_DEVIATIONS[line];
  return [...FRAME_CASES, ...STREAM_CASES, ...FIELD_CASES].map((c) => {
    const node = deviations[c.name];
    return node === undefined ? c : { ...c, node };
  });
}

/** Every case, with the deviations of the running Node's line attached. */
export const CASES: FrameCase[] = casesFor(nodeLine(NODE_MAJOR));
