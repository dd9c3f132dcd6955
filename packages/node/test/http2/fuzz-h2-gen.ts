/**
 * Seeded random HTTP/2 traffic for `fuzz-h2.test.ts`: batches of streams on
 * one connection, each a random header list: half well-formed (valid names
 * and values of random lengths), half hostile (pseudo-headers shuffled,
 * doubled or missing, random bytes in names and values, random lengths),
 * its body in random DATA splits or a trailer section, sometimes reset by
 * the client, with random WINDOW_UPDATE frames between; the streams'
 * frames interleaved. Every stream is ended by the client (END_STREAM or
 * RST_STREAM), so a stream the server leaves open is the server's.
 */
import { type Field, type FrameCase, SCHEME, type Step } from './steps.ts';

/** A seeded PRNG (mulberry32): the same seed gives the same traffic. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;

const int = (rng: Rng, below: number) => Math.floor(rng() * below);
const pick = <T>(rng: Rng, items: readonly T[]): T => items[int(rng, items.length)]!;
const chance = (rng: Rng, p: number) => rng() < p;

/** Characters up to U+00FF, controls included (sent as UTF-8 by the driver). */
function randomText(rng: Rng, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += String.fromCharCode(int(rng, 256));
  return out;
}

/** A length: mostly short, sometimes a few thousand. */
function randomLength(rng: Rng): number {
  return chance(rng, 0.85) ? int(rng, 40) : int(rng, 4000);
}

const TOKEN_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789-';
const VISIBLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');

const NAMES = [
  'x-a',
  'accept',
  'cookie',
  'host',
  'content-type',
  'content-length',
  'te',
  'expect',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'proxy-connection',
  'X-Upper',
  'x_under',
  '',
  ':foo',
  ':status',
  ':path',
];
const VALUES = ['', 'trailers', 'gzip', 'chunked', '100-continue', '0', '3', '-1', 'a, b', ' pad '];
const METHODS = ['GET', 'POST', 'HEAD', 'OPTIONS', 'PUT', 'CONNECT', 'get', 'G@T', ''];
const PATHS = ['/', '*', '/a?b=1', 'http://h/x', '/a%zz', '/a#b', 'h:443', ''];

/** `length` characters drawn from `alphabet`. */
function fromAlphabet(rng: Rng, alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[int(rng, alphabet.length)];
  return out;
}

/** A valid lower-case name half the time, else a name from `NAMES` or random bytes. */
function randomName(rng: Rng): string {
  const roll = rng();
  if (roll < 0.5) return `x-${fromAlphabet(rng, TOKEN_CHARS, randomLength(rng))}`;
  if (roll < 0.75) return pick(rng, NAMES);
  return randomText(rng, 1 + randomLength(rng));
}

/** Visible ASCII half the time, else a value from `VALUES` or random bytes. */
function randomValue(rng: Rng): string {
  const roll = rng();
  if (roll < 0.5) return fromAlphabet(rng, VISIBLE, randomLength(rng));
  if (roll < 0.7) return pick(rng, VALUES);
  return randomText(rng, randomLength(rng));
}

const PATH_CHARS = `${TOKEN_CHARS}/?=&%._~`;

/** A well-formed request's header list: valid names and values of random lengths. */
function cleanList(rng: Rng): Field[] {
  const fields: Field[] = [
    [':method', pick(rng, ['GET', 'POST', 'PUT', 'HEAD', 'OPTIONS'])],
    [':scheme', SCHEME],
    [':path', `/${fromAlphabet(rng, PATH_CHARS, randomLength(rng))}`],
    [':authority', 'localhost'],
  ];
  const regular = int(rng, 6);
  for (let i = 0; i < regular; i++) {
    fields.push([
      `x-${fromAlphabet(rng, TOKEN_CHARS, randomLength(rng))}`,
      fromAlphabet(rng, VISIBLE.trim(), randomLength(rng)),
    ]);
  }
  return fields;
}

/** The pseudo-headers, sometimes shuffled, doubled, dropped or odd, then regular fields. */
function headerList(rng: Rng): Field[] {
  const pseudo: Field[] = [
    [':method', chance(rng, 0.8) ? 'POST' : pick(rng, METHODS)],
    [':scheme', chance(rng, 0.9) ? SCHEME : randomText(rng, int(rng, 8))],
    [
      ':path',
      chance(rng, 0.6)
        ? `/f${int(rng, 100)}`
        : chance(rng, 0.5)
          ? pick(rng, PATHS)
          : `/${randomText(rng, randomLength(rng))}`,
    ],
    [':authority', chance(rng, 0.9) ? 'localhost' : randomText(rng, int(rng, 20))],
  ];
  const fields: Field[] = pseudo.filter(() => chance(rng, 0.97));
  if (chance(rng, 0.1)) fields.push(pick(rng, pseudo));
  if (chance(rng, 0.1)) fields.sort(() => rng() - 0.5);
  const regular = int(rng, 6);
  for (let i = 0; i < regular; i++) {
    const field: Field = [randomName(rng), randomValue(rng)];
    // A pseudo-header among the regular fields now and then, else after them.
    if (chance(rng, 0.05)) fields.splice(int(rng, fields.length + 1), 0, field);
    else fields.push(field);
  }
  return fields;
}

/**
 * The DATA bytes one batch sends in all: under the 65,535-byte connection
 * window the driver never waits on, so flow control never ends a batch.
 */
const DATA_BUDGET = 60_000;

/** One stream's steps, in order, on the placeholder stream `local`; `budget` holds the DATA bytes left. */
function streamSteps(rng: Rng, local: number, budget: { left: number }): Step[] {
  const size = (below: number) => {
    const bytes = Math.min(int(rng, below), budget.left);
    budget.left -= bytes;
    return bytes;
  };
  const fields = chance(rng, 0.5) ? cleanList(rng) : headerList(rng);
  const bodyless = chance(rng, 0.3);
  const steps: Step[] = [{ op: 'headers', stream: local, fields, endStream: bodyless }];
  if (bodyless) return steps;
  const pieces = int(rng, 5);
  for (let i = 0; i < pieces; i++) {
    if (chance(rng, 0.08)) {
      steps.push({ op: 'rst', stream: local, code: pick(rng, [0, 1, 2, 8]) });
      return steps;
    }
    steps.push({ op: 'data', stream: local, size: size(1500) });
  }
  if (chance(rng, 0.1)) steps.push({ op: 'rst', stream: local, code: 8 });
  else if (chance(rng, 0.15))
    steps.push({
      op: 'headers',
      stream: local,
      fields: [[randomName(rng), randomValue(rng)]],
      endStream: true,
    });
  else steps.push({ op: 'data', stream: local, size: size(300), endStream: true });
  return steps;
}

/**
 * A WINDOW_UPDATE on the connection or on placeholder stream `stream - 1`
 * (moved to the connection if that stream is not open yet), now and then
 * of increment 0 (an error).
 */
function windowUpdate(rng: Rng, streams: number): Step {
  const stream = chance(rng, 0.5) ? 0 : 1 + int(rng, streams);
  const increment = chance(rng, 0.01) ? 0 : 1 + int(rng, 65_535);
  return { op: 'window_update', stream, increment };
}

/**
 * One batch: `count` streams whose steps are interleaved at random (each
 * stream's own order kept), stream ids given in the order the streams open,
 * then a wait for each stream to end (END_STREAM or RST_STREAM).
 */
export function fuzzBatch(seed: number, batch: number, count: number): FrameCase {
  const rng = prng(seed * 1000 + batch);
  const budget = { left: DATA_BUDGET };
  const queues = Array.from({ length: count }, (_, local) => streamSteps(rng, local, budget));
  const merged: Step[] = [];
  while (queues.some((q) => q.length > 0)) {
    if (chance(rng, 0.05)) merged.push(windowUpdate(rng, count));
    const ready = queues.filter((q) => q.length > 0);
    merged.push(pick(rng, ready).shift()!);
  }
  const ids = new Map<number, number>();
  const steps = merged.map((step): Step => {
    if (step.op === 'window_update') {
      const opened = step.stream === 0 ? undefined : ids.get(step.stream - 1);
      return { ...step, stream: opened ?? 0 };
    }
    if (!('stream' in step) || step.stream === undefined) return step;
    const id = ids.get(step.stream) ?? 1 + 2 * ids.size;
    ids.set(step.stream, id);
    return { ...step, stream: id } as Step;
  });
  // The client owes itself nothing on a stream it reset: no wait for those.
  const reset = new Set(steps.flatMap((s) => (s.op === 'rst' ? [s.stream] : [])));
  for (const id of ids.values())
    if (!reset.has(id)) steps.push({ op: 'wait', for: 'done', stream: id });
  return {
    name: `fuzz-${seed}-${batch}`,
    section: '8',
    title: `seed ${seed}, batch ${batch}: ${count} random streams`,
    steps,
    until: [],
    rfc: { ignored: true },
  };
}
