/**
 * The status codes of the HTTP/1.1 responses in `raw`, in order (bodies
 * framed by `Content-Length` or chunked are skipped; 1xx have none). Stops at
 * the first incomplete response. `[]` when the server sent nothing.
 */
export function statusesOf(raw: Buffer): number[] {
  const text = raw.toString('latin1');
  const statuses: number[] = [];
  let at = 0;
  while (at < text.length) {
    const end = text.indexOf('\r\n\r\n', at);
    if (end === -1) break;
    const lines = text.slice(at, end).split('\r\n');
    const status = Number(lines[0]!.split(' ')[1]);
    statuses.push(status);
    at = end + 4;
    if (status < 200) continue;
    const field = (name: string) =>
      lines
        .slice(1)
        .find((line) => line.toLowerCase().startsWith(`${name}:`))
        ?.slice(name.length + 1)
        .trim();
    const length = field('content-length');
    if (length !== undefined) {
      at += Number(length);
    } else if (field('transfer-encoding')?.toLowerCase() === 'chunked') {
      for (;;) {
        const line = text.indexOf('\r\n', at);
        if (line === -1) return statuses;
        const size = Number.parseInt(text.slice(at, line), 16);
        at = line + 2 + size + 2;
        if (size === 0) break;
      }
    } else {
      break; // close-delimited: the rest is its body
    }
  }
  return statuses;
}
