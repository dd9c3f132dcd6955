import { checkContentLength, type ResponseBody } from '@tsgi/spec';
import { chunkTypeError, type Exchange } from './exchange.js';
import { Phase } from './phase.js';

/** Bodies up to this size take the latin1 path (see `RunnerContext.sinkTakesLatin1`). */
const SMALL_BODY = 4096;

/** A sink whose `end` takes a latin1 string. */
type LatinSink = { end(chunk: string, encoding: 'latin1'): unknown };

/**
 * Sends the app's body on the exchange, the way its kind allows: an array
 * without promises (one write when it has at most one chunk), a sync iterable
 * pulled while the sink takes more, an async iterable awaited chunk by chunk;
 * both iterables wait for `'drain'` when the sink is full (backpressure).
 * Throws a TypeError for something that is no body; errors later in a pump
 * go to `exchange.fail`.
 */
export function pumpBody(exchange: Exchange, body: ResponseBody): void {
  if (Array.isArray(body)) {
    runArray(exchange, body);
    return;
  }
  if (body === null || typeof body !== 'object') {
    throw new TypeError(
      `the application returned ${body === null ? 'null' : typeof body}, not an iterable body`,
    );
  }
  if (typeof (body as Iterable<Uint8Array>)[Symbol.iterator] === 'function') {
    pumpSync(exchange, (body as Iterable<Uint8Array>)[Symbol.iterator]());
    return;
  }
  if (typeof (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === 'function') {
    exchange.watch();
    void pumpAsync(exchange, (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]());
    return;
  }
  throw new TypeError(
    'the application returned a body that is neither iterable nor async iterable',
  );
}

/** Sync fast path: the whole body is in memory, write it without promises. */
function runArray(exchange: Exchange, body: readonly unknown[]): void {
  if (exchange.head === undefined)
    throw new Error('the application returned a body without calling startResponse');
  const length = body.length;
  if (exchange.phase === Phase.Started && length <= 1) {
    sendWhole(exchange, length === 1 ? body[0] : EMPTY);
    return;
  }
  const sink = exchange.sink;
  sink.cork?.();
  try {
    for (let i = 0; i < length && exchange.phase < Phase.Ended; i++) exchange.send(body[i]);
  } finally {
    sink.uncork?.();
  }
  exchange.finish();
}

const EMPTY = new Uint8Array(0);

/**
 * One write: status line, headers and the body's one chunk together. A body
 * of known size gets its Content-Length, as PEP 3333 allows for a one-element
 * body (not for 204/304, nor for an empty HEAD body: the GET body's size is unknown).
 */
function sendWhole(exchange: Exchange, chunk: unknown): void {
  if (!(chunk instanceof Uint8Array)) throw chunkTypeError(chunk);
  const size = chunk.byteLength;
  const noBody = exchange.noBody;
  if (exchange.declared === -1) {
    const code = exchange.code;
    if (!noBody || (size > 0 && code !== 204 && code !== 304)) {
      exchange.head!.push('Content-Length', String(size));
    }
  } else if (!noBody) {
    checkContentLength(exchange.declared, size, true);
  }
  exchange.sendHead();
  exchange.phase = Phase.Ended;
  const sink = exchange.sink;
  if (noBody || size === 0) {
    sink.end();
  } else {
    exchange.sent = size;
    if (size <= SMALL_BODY && exchange.context.sinkTakesLatin1 === true) {
      // ServerResponse glues a latin1 string body onto the header string and
      // writes one string; a byte body goes out as a second writev chunk.
      (sink as unknown as LatinSink).end(latin1(chunk), 'latin1');
    } else {
      sink.end(chunk);
    }
  }
  exchange.complete(Phase.Finished);
}

/**
 * The bytes as a string of one char per byte, which latin1 writes back as the
 * same bytes. (Not `TextDecoder('latin1')`: that is windows-1252.)
 */
function latin1(chunk: Uint8Array): string {
  const buffer =
    chunk instanceof Buffer ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  return buffer.toString('latin1');
}

function pumpSync(exchange: Exchange, iterator: Iterator<Uint8Array>): void {
  try {
    for (;;) {
      if (reached(exchange, Phase.Finished, iterator)) return;
      const step = iterator.next();
      if (step.done) break;
      if (!exchange.send(step.value)) {
        exchange.watch();
        exchange.drained().then(() => pumpSync(exchange, iterator));
        return;
      }
      if (reached(exchange, Phase.Ended, iterator)) break;
    }
    exchange.finish();
  } catch (error) {
    exchange.fail(error);
  }
}

async function pumpAsync(exchange: Exchange, iterator: AsyncIterator<Uint8Array>): Promise<void> {
  try {
    for (;;) {
      if (reached(exchange, Phase.Finished, iterator)) return;
      const step = await iterator.next();
      if (reached(exchange, Phase.Finished, iterator)) return;
      if (step.done) break;
      if (!exchange.send(step.value)) await exchange.drained();
      if (reached(exchange, Phase.Ended, iterator)) break;
    }
    exchange.finish();
  } catch (error) {
    exchange.fail(error);
  }
}

/**
 * True when the exchange got to `phase` (ended: a HEAD response is complete;
 * finished: the client is gone or an error ended it): the pump stops there,
 * after asking the iterator to clean up.
 */
function reached(
  exchange: Exchange,
  phase: Phase,
  iterator: Iterator<Uint8Array> | AsyncIterator<Uint8Array>,
): boolean {
  if (exchange.phase < phase) return false;
  stopIterator(iterator);
  return true;
}

/** Asks an iterator to clean up early; its failure is swallowed (close() still runs). */
function stopIterator(iterator: Iterator<Uint8Array> | AsyncIterator<Uint8Array>): void {
  try {
    const result = iterator.return?.();
    if (result !== undefined && typeof (result as Promise<unknown>).then === 'function') {
      (result as Promise<unknown>).then(undefined, () => {});
    }
  } catch {
    // the body's own cleanup failed; close() still runs
  }
}
