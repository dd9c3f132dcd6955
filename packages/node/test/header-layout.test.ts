import { jsonResponse } from '@tsgi/spec';
import { describe, expect, it } from 'vitest';
import { parseHead, rawRequest, start } from './helpers.js';

/* The layouts themselves are tested in @tsgi/spec (test/environ-builder/); here, over a socket. */
describe('compiled header layouts', () => {
  // First: the bound test below uses up the 64 layouts.
  it('serve repeated requests with the same header names over a socket', async () => {
    const server = await start((environ, startResponse) =>
      jsonResponse(startResponse, 200, {
        cookie: environ.HTTP_COOKIE,
        type: environ.CONTENT_TYPE,
        length: environ.CONTENT_LENGTH,
        id: environ.HTTP_X_ID,
        under: Object.keys(environ).filter((key) => key.includes('UNDER')),
      }),
    );
    const bodies: unknown[] = [];
    for (let i = 0; i < 4; i++) {
      const result = await rawRequest(
        server.port,
        `POST / HTTP/1.1\r\nHost: x\r\nCookie: a=${i}\r\nContent-Type: text/plain\r\nX_Under: 1\r\nCookie: b=2\r\nX-Id: ${i}\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi`,
      );
      const { status, body } = parseHead(result.text);
      expect(status).toBe(200);
      bodies.push(JSON.parse(body));
    }
    expect(bodies).toEqual(
      [0, 1, 2, 3].map((i) => ({
        cookie: `a=${i}; b=2`,
        type: 'text/plain',
        length: '2',
        id: String(i),
        under: [],
      })),
    );
  });
});
