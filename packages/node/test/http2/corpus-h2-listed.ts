/**
 * The framing corpus's cases with no HTTP/2 form, by corpus name, each with
 * why: they test HTTP/1.x text framing (the request line's version and
 * spacing, line endings, obs-fold, chunked coding, pipelining), which HTTP/2's
 * binary frames and HPACK do not have.
 */

const VERSION = 'the HTTP version is in the request line; HTTP/2 has none (ALPN chose h2)';
const CHUNKED = 'chunked transfer coding: HTTP/2 frames the body in DATA frames (RFC 9113 §8.1)';
const PIPELINING =
  'pipelining: HTTP/2 multiplexes streams, no request follows another on the wire (RFC 9113 §5)';

/** Corpus cases that have no HTTP/2 meaning, with a one-line reason each. */
export const listedH2: Record<string, string> = {
  'HTTP/1.0 without Host': `${VERSION}; the request without authority is 'HTTP/1.1 without Host'`,
  'empty lines before the request line': 'line framing: HTTP/2 has no request line',
  '`HTTP/2.0` on the HTTP/1 parser': VERSION,
  '`HTTP/0.9` request line': VERSION,
  'HTTP/1.2': VERSION,
  'HTTP/3.0': VERSION,
  'lower-case http/1.1': VERSION,
  'HTTP/2 connection preface':
    'every HTTP/2 connection opens with it; a bad preface is a frame case (cases-frames.ts)',
  'two spaces after the method (parsed leniently, as the RFC allows)':
    'request-line spacing: :method and :path are separate HPACK fields',
  'tab as separator': 'request-line spacing: :method and :path are separate HPACK fields',
  'no version (an HTTP/0.9 simple request)': VERSION,
  'bare LF after the request line': 'line endings: HTTP/2 has no request line',
  'obs-fold (rejected, as the RFC allows)':
    'obs-fold is line folding; a field value is one HPACK string (an LF in it is translated)',
  'whitespace before the first field': 'line framing: HPACK has no lines to indent',
  'field without a colon': 'HPACK carries name and value apart: there is no colon to miss',
  'chunked body': CHUNKED,
  'chunk extension': CHUNKED,
  'bad chunk size': CHUNKED,
  'chunk size overflowing 64 bits': CHUNKED,
  'chunk data without its CRLF': CHUNKED,
  'chunked with bare LF': CHUNKED,
  'chunked in an HTTP/1.0 request': `${VERSION}; transfer-encoding itself is translated`,
  'HTTP/1.0 with Content-Length and Transfer-Encoding': `${VERSION}; request smuggling by CL/TE needs HTTP/1 framing`,
  'two pipelined requests': PIPELINING,
  'pipelined POST then GET': PIPELINING,
  'HTTP/1.0 keep-alive, pipelined': PIPELINING,
  'a request pipelined after an HTTP/1.0 one': PIPELINING,
  'a request pipelined after `Connection: close`': PIPELINING,
};
