// The environ the fixture app sees (its /environ view: every string, number and boolean key) when
// @tsgi/node serves it and when toFetchHandler does on real Bun and real Deno: equal, key for key.
// Keys that legitimately differ, and how they are compared:
// - REMOTE_PORT: the client's ephemeral port, new on each connection; left out.
// - SERVER_PORT and the port in HTTP_HOST: each server's own; compared as "PORT".
// The view's JSON is then as long as the ports' digits make it, so its Content-Length is left out too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Comparable,
  comparable,
  type Exchange,
  type RawResponse,
  send,
} from './support/http.ts';
import { type Served, serveEverywhere, stopAll } from './support/servers.ts';

let servers: Served[] = [];

beforeAll(async () => {
  servers = await serveEverywhere();
});

afterAll(() => stopAll(servers));

type View = Record<string, string | number | boolean>;

/** An answer of /environ, ready to compare: see the top of this file. */
function environAnswer(answer: RawResponse, port: number) {
  const { REMOTE_PORT, ...view } = JSON.parse(answer.body.toString()) as View;
  expect(REMOTE_PORT).toMatch(/^\d+$/);
  expect([view.SERVER_PORT, view.HTTP_HOST]).toEqual([String(port), `127.0.0.1:${port}`]);
  view.SERVER_PORT = 'PORT';
  view.HTTP_HOST = '127.0.0.1:PORT';
  const response: Comparable = comparable(answer);
  response.headers = response.headers.filter(([name]) => name !== 'content-length');
  return { ...response, body: view };
}

/** Sends `exchange` to all three servers; returns Node's view, after checking Bun's and Deno's against it. */
async function viewEverywhere(
  exchange: Exchange,
  differs: { bun?: (node: View) => View } = {},
): Promise<View> {
  const answers = await Promise.all(servers.map((server) => send(server.port, exchange)));
  const [node, ...others] = answers.map((answer, i) => environAnswer(answer, servers[i]!.port));
  expect([node!.status, node!.reason]).toEqual([200, 'OK']);
  for (const [index, answer] of others.entries()) {
    const server = servers[index + 1]!;
    const view = server.name === 'bun' && differs.bun ? differs.bun(node!.body) : node!.body;
    expect(answer, `${server.name}'s answer\n${server.output()}`).toEqual({ ...node, body: view });
  }
  return node!.body;
}

describe('the environ on Bun and Deno is the one @tsgi/node builds', () => {
  it('GET with a query, an encoded path, two Cookie lines and a repeated field', async () => {
    const view = await viewEverywhere({
      method: 'GET',
      path: '/environ/caf%C3%A9/a%2Fb?x=1&y=%20&z',
      headers: [
        ['Cookie', 'a=1'],
        ['Cookie', 'b=2'],
        ['X-Multi', 'one'],
        ['X-Multi', 'two'],
        ['Accept', 'text/plain'],
      ],
    });
    expect(view).toMatchObject({
      REQUEST_METHOD: 'GET',
      SCRIPT_NAME: '',
      PATH_INFO: '/environ/café/a/b',
      QUERY_STRING: 'x=1&y=%20&z',
      REQUEST_URI: '/environ/caf%C3%A9/a%2Fb?x=1&y=%20&z',
      SERVER_NAME: '127.0.0.1',
      SERVER_PROTOCOL: 'HTTP/1.1',
      REMOTE_ADDR: '127.0.0.1',
      HTTP_COOKIE: 'a=1; b=2',
      HTTP_X_MULTI: 'one, two',
      HTTP_ACCEPT: 'text/plain',
      'tsgi.url_scheme': 'http',
    });
    expect(view).not.toHaveProperty('CONTENT_LENGTH');
  });

  it('POST with a Content-Length and a Content-Type', async () => {
    const view = await viewEverywhere({
      method: 'POST',
      path: '/environ',
      headers: [
        ['Content-Type', 'text/plain; charset=utf-8'],
        ['Content-Length', '5'],
      ],
      body: new TextEncoder().encode('hello'),
    });
    expect(view).toMatchObject({
      REQUEST_METHOD: 'POST',
      PATH_INFO: '/environ',
      QUERY_STRING: '',
      CONTENT_TYPE: 'text/plain; charset=utf-8',
      CONTENT_LENGTH: '5',
    });
  });

  it('POST with a chunked body', async () => {
    const view = await viewEverywhere({
      method: 'POST',
      path: '/environ',
      headers: [['Transfer-Encoding', 'chunked']],
      body: new TextEncoder().encode('hello'),
    });
    expect(view).toMatchObject({ HTTP_TRANSFER_ENCODING: 'chunked' });
    expect(view).not.toHaveProperty('CONTENT_LENGTH');
  });

  it('a target with characters a URL escapes: Bun escapes them in REQUEST_URI', async () => {
    const view = await viewEverywhere(
      { method: 'GET', path: '/environ/{x}|"y"' },
      // Bun's request.url is the parsed URL, escaped as WHATWG URL escapes a path.
      { bun: (node) => ({ ...node, REQUEST_URI: '/environ/%7Bx%7D|%22y%22' }) },
    );
    expect(view).toMatchObject({ PATH_INFO: '/environ/{x}|"y"', REQUEST_URI: '/environ/{x}|"y"' });
  });

  it('a target with dot segments: Bun resolves them before the application sees it', async () => {
    const view = await viewEverywhere(
      { method: 'GET', path: '/environ/./a/../b' },
      { bun: (node) => ({ ...node, PATH_INFO: '/environ/b', REQUEST_URI: '/environ/b' }) },
    );
    expect(view).toMatchObject({ PATH_INFO: '/environ/./a/../b' });
  });
});
