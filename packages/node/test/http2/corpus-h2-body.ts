/**
 * The corpus's body and trailer cases over HTTP/2: DATA frames carry the
 * body, `content-length` must match their length (RFC 9113 §8.1.1),
 * `transfer-encoding` is connection-specific and makes a request malformed
 * (§8.2.2), and a trailer section is a HEADERS frame that ends the stream.
 */
import { both, type H2Translation, MALFORMED, OK, postOf, withTrailer } from './corpus-h2-map.ts';
import type { Field } from './steps.ts';

const TE_CHUNKED: Field = ['transfer-encoding', 'chunked'];

/** Body and trailer cases with an HTTP/2 form, by corpus name. */
export const bodyH2: Record<string, H2Translation> = {
  'Content-Length body': {
    title: 'content-length: 3 and a DATA frame of 3 bytes',
    steps: postOf([['content-length', '3']], 'abc'),
    ...both(OK),
    seen: { method: 'POST', bodyBytes: 3 },
  },
  'GET with a body': {
    title: 'GET with content-length: 3 and 3 bytes of DATA',
    steps: [
      {
        op: 'headers',
        stream: 1,
        fields: [
          [':method', 'GET'],
          [':scheme', '$scheme'],
          [':path', '/'],
          [':authority', 'localhost'],
          ['content-length', '3'],
        ],
      },
      { op: 'data', stream: 1, text: 'abc', endStream: true },
    ],
    ...both(OK),
    seen: { method: 'GET', bodyBytes: 3 },
  },
  'Content-Length: 0': {
    title: 'content-length: 0 and an empty DATA frame',
    steps: postOf([['content-length', '0']], ''),
    ...both(OK),
    seen: { bodyBytes: 0 },
  },
  'Content-Length with Transfer-Encoding': {
    title: 'content-length: 3 and transfer-encoding: chunked',
    steps: postOf([['content-length', '3'], TE_CHUNKED], 'abc'),
    ...both(MALFORMED),
  },
  'two different Content-Length': {
    title: 'content-length: 3 and content-length: 4, 4 bytes of DATA',
    steps: postOf(
      [
        ['content-length', '3'],
        ['content-length', '4'],
      ],
      'abcd',
    ),
    ...both(MALFORMED),
  },
  'Content-Length list `3, 3`': {
    title: 'content-length: 3, 3',
    steps: postOf([['content-length', '3, 3']], 'abc'),
    ...both(MALFORMED),
  },
  'Content-Length `+3`': {
    title: 'content-length: +3',
    steps: postOf([['content-length', '+3']], 'abc'),
    ...both(MALFORMED),
  },
  'negative Content-Length': {
    title: 'content-length: -1, no DATA',
    steps: postOf([['content-length', '-1']], ''),
    ...both(MALFORMED),
  },
  'Transfer-Encoding `CHUNKED` (case-insensitive)': {
    title: 'transfer-encoding: CHUNKED',
    steps: postOf([['transfer-encoding', 'CHUNKED']], 'abc'),
    ...both(MALFORMED),
  },
  '`Transfer-Encoding: gzip, chunked`': {
    title: 'transfer-encoding: gzip, chunked',
    steps: postOf([['transfer-encoding', 'gzip, chunked']], 'abc'),
    ...both(MALFORMED),
  },
  'Transfer-Encoding without chunked': {
    title: 'transfer-encoding: gzip',
    steps: postOf([['transfer-encoding', 'gzip']], 'abc'),
    ...both(MALFORMED),
  },
  '`chunked, chunked`': {
    title: 'transfer-encoding: chunked, chunked',
    steps: postOf([['transfer-encoding', 'chunked, chunked']], 'abc'),
    ...both(MALFORMED),
  },
  'Transfer-Encoding on two lines': {
    title: 'transfer-encoding: chunked, twice',
    steps: postOf([TE_CHUNKED, TE_CHUNKED], 'abc'),
    ...both(MALFORMED),
  },
  '`Transfer-Encoding: identity`': {
    title: 'transfer-encoding: identity and content-length: 3',
    steps: postOf(
      [
        ['transfer-encoding', 'identity'],
        ['content-length', '3'],
      ],
      'abc',
    ),
    ...both(MALFORMED),
  },
  'empty Transfer-Encoding': {
    title: 'an empty transfer-encoding',
    steps: postOf([['transfer-encoding', '']], ''),
    ...both(MALFORMED),
  },
  'trailer field the server ignores': {
    title: 'a trailer section holding x-checksum: 1',
    steps: withTrailer([['x-checksum', '1']]),
    ...both(OK),
    seen: { bodyBytes: 3 },
  },
  '`Host` in the trailer': {
    title: 'a trailer section holding host: evil',
    steps: withTrailer([['host', 'evil']]),
    ...both(OK),
    seen: { host: 'localhost' },
  },
  '`Content-Length` in the trailer': {
    title: 'a trailer section holding content-length: 5',
    steps: withTrailer([['content-length', '5']]),
    ...both(MALFORMED),
  },
  '`Transfer-Encoding` in the trailer': {
    title: 'a trailer section holding transfer-encoding: chunked',
    steps: withTrailer([TE_CHUNKED]),
    ...both(MALFORMED),
  },
  '`Authorization` in the trailer': {
    title: 'a trailer section holding authorization',
    steps: withTrailer([['authorization', 'Basic eDp5']]),
    ...both(OK),
  },
  '`Content-Type` in the trailer': {
    title: 'a trailer section holding content-type: text/evil',
    steps: withTrailer([['content-type', 'text/evil']]),
    ...both(OK),
  },
};

/**
 * HTTP/2 cases the corpus has no line for: a `content-length` that the DATA
 * frames do not match is malformed (RFC 9113 §8.1.1), a stream error.
 */
export const h2OnlyBodyCases: Record<string, H2Translation> = {
  'content-length above the DATA length': {
    title: 'content-length: 5, 3 bytes of DATA, then END_STREAM',
    steps: postOf([['content-length', '5']], 'abc'),
    ...both(MALFORMED),
  },
  'content-length below the DATA length': {
    title: 'content-length: 2, 3 bytes of DATA',
    steps: postOf([['content-length', '2']], 'abc'),
    ...both(MALFORMED),
  },
};
