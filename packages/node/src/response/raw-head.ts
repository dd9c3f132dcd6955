/**
 * An HTTP/1.1 response head for a writer that frames responses itself on a
 * raw socket (the uwsgi connection, a refused request's answer): the status
 * line, the flat `[name, value, …]` headers, `Connection: close` and the blank
 * line. Names and values must be checked already; the string is latin1.
 *
 * @example
 * closingHead(404, 'Not Found', ['Content-Length', '0']);
 * // 'HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'
 */
export function closingHead(code: number, reason: string, headers: readonly string[]): string {
  let head = `HTTP/1.1 ${code} ${reason}\r\n`;
  for (let i = 0; i < headers.length; i += 2) {
    head += `${headers[i]}: ${headers[i + 1]}\r\n`;
  }
  return `${head}Connection: close\r\n\r\n`;
}
