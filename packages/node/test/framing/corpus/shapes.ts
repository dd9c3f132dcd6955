/** Builders of the raw requests the corpus files share. */

/** `Host` and `Connection: close`, so every exchange ends with the server closing. */
export const CLOSE = 'Host: h\r\nConnection: close\r\n';
/** A GET of `target` that closes. */
export const get = (target: string, version = 'HTTP/1.1') =>
  `GET ${target} ${version}\r\n${CLOSE}\r\n`;
/** A POST with extra header lines and a body, that closes. */
export const post = (headers: string, body: string) =>
  `POST / HTTP/1.1\r\n${CLOSE}${headers}\r\n${body}`;
/** A chunked POST of `abc` with `trailer` lines after the last chunk. */
export const chunked = (trailer: string) =>
  post('Transfer-Encoding: chunked\r\n', `3\r\nabc\r\n0\r\n${trailer}\r\n`);
/** A GET with one more header line. */
export const withHeader = (line: string) => `GET / HTTP/1.1\r\n${CLOSE}${line}\r\n\r\n`;
/** A GET with `n` header fields in all. */
export const manyHeaders = (n: number) =>
  `GET / HTTP/1.1\r\n${CLOSE}${Array.from({ length: n - 2 }, (_, i) => `X-H${i}: v\r\n`).join('')}\r\n`;
