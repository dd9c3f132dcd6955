/**
 * The framing corpus (`../framing/corpus/`) over HTTP/2: the vocabulary of a
 * translation and the builders the translation files share.
 *
 * Every corpus case, by its name, is either translated into HTTP/2 frames
 * (`corpus-h2-request-line.ts`, `corpus-h2-fields.ts`, `corpus-h2-body.ts`)
 * with what tsgi and bare node:http2 do with them, or listed in
 * `corpus-h2-listed.ts` with why it has no HTTP/2 form. `corpus-h2.test.ts`
 * checks that every case is placed exactly once, and runs the translations.
 */
import type { Echo } from './corpus-h2-servers.ts';
import { type Field, type Outcome, req, type Step, streamError } from './steps.ts';

/** The Node major whose node:http2 outcomes `node` records; on another, only tsgi ≥ bare is checked. */
export const H2_RECORDED_ON = 20;

/** One corpus case as HTTP/2 frames, and what each server does with them. */
export interface H2Translation {
  /** What is sent over HTTP/2, in one line. */
  title: string;
  /** The frames, on stream 1. */
  steps: Step[];
  /** What tsgi does. */
  tsgi: Outcome;
  /** What bare node:http2 (the same frames, an app that answers 200) does on `H2_RECORDED_ON`. */
  node: Outcome;
  /** What tsgi's app must see (its echoed environ values), when tsgi answers 200. */
  seen?: Partial<Echo>;
  /** Where tsgi, like bare node:http2, does less than RFC 9113 requires: what the RFC says. */
  gap?: string;
  /**
   * Where tsgi reaches the app with a request bare node:http2 refuses: why.
   * The test checks it still does, so the note goes when tsgi catches up.
   */
  belowBare?: string;
}

/** A complete answer of `status` on stream 1. */
export function answered(status: number): Outcome {
  return { response: { stream: 1, status } };
}

/** The answer of an app that was reached. */
export const OK = answered(200);

/** A malformed request (RFC 9113 §8.1.1): RST_STREAM PROTOCOL_ERROR on stream 1. */
export const MALFORMED = streamError('PROTOCOL_ERROR');

/** Bare node and tsgi alike: the same outcome for both. */
export function both(outcome: Outcome): Pick<H2Translation, 'tsgi' | 'node'> {
  return { tsgi: outcome, node: outcome };
}

/** A request with no body: `fields` exactly, END_STREAM on the HEADERS. */
export function headersOnly(fields: Field[]): Step[] {
  return [{ op: 'headers', stream: 1, fields, endStream: true }];
}

/** A GET of `path` (the usual pseudo-headers, then `extra`). */
export function getOf(path: string, extra: Field[] = [], method = 'GET'): Step[] {
  return headersOnly(req(path, extra, method));
}

/** A POST of `/` with `extra` fields and `body` in one DATA frame that ends the stream. */
export function postOf(extra: Field[], body: string): Step[] {
  return [
    { op: 'headers', stream: 1, fields: req('/', extra, 'POST') },
    { op: 'data', stream: 1, text: body, endStream: true },
  ];
}

/** A POST of `abc` whose stream ends with a trailer section of `trailer`. */
export function withTrailer(trailer: Field[]): Step[] {
  return [
    { op: 'headers', stream: 1, fields: req('/', [], 'POST') },
    { op: 'data', stream: 1, text: 'abc' },
    { op: 'headers', stream: 1, fields: trailer, endStream: true },
  ];
}

/**
 * A GET whose extra fields are each in a CONTINUATION frame of their own, so
 * a header list larger than one frame (16,384 bytes) can be sent.
 */
export function continued(extra: Field[]): Step[] {
  return [
    { op: 'headers', stream: 1, fields: req('/'), endStream: true, endHeaders: false },
    ...extra.map(
      (field, index): Step => ({
        op: 'continuation',
        stream: 1,
        fields: [field],
        endHeaders: index === extra.length - 1,
      }),
    ),
  ];
}

/** `count` fields `x-h0: v` … in all. */
export function manyFields(count: number): Field[] {
  return Array.from({ length: count }, (_, i): Field => [`x-h${i}`, 'v']);
}
