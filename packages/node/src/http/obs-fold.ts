/** A line break followed by a space or tab inside the head: obs-fold (RFC 9112 §5.2). */
const FOLD = /\r?\n[ \t]/;

/** The llhttp errors a fold can cause, across the llhttp versions of Node 20 to 26. */
const SYNTAX = /^HPE_(INVALID_HEADER_TOKEN|UNEXPECTED_SPACE|INVALID_CHARACTER|STRICT)$/;

/**
 * For the `'clientError'` listener: the answer to a head llhttp refused
 * because a field line is folded (obs-fold), or `undefined` for any other
 * error. RFC 9112 §5.2 lets a server reject obs-fold with a 400, "preferably
 * with a representation explaining that obsolete line folding is
 * unacceptable": this is that text. (Replacing the fold with spaces, the other
 * option, would take llhttp's lenient mode, which reopens request smuggling.)
 *
 * @example
 * const [status, text] = foldAnswer(error) ?? PROBLEMS[code];
 */
export function foldAnswer(error: {
  code?: string;
  rawPacket?: unknown;
}): [status: number, text: string] | undefined {
  if (!SYNTAX.test(error.code ?? '')) return undefined;
  const raw = error.rawPacket;
  if (!Buffer.isBuffer(raw)) return undefined;
  const text = raw.toString('latin1', 0, Math.min(raw.length, 65_536));
  const end = text.indexOf('\r\n\r\n');
  const head = end === -1 ? text : text.slice(0, end);
  // The first line is the request line; a fold can only continue a field line.
  const firstBreak = head.indexOf('\n');
  if (firstBreak === -1 || !FOLD.test(head.slice(firstBreak + 1))) return undefined;
  return [400, 'obsolete line folding (a field line starting with a space or tab) is not accepted'];
}
