import type { Application } from '@tsgi/spec';
import { statusLine } from '@tsgi/spec';
import { describe, expect, it } from 'vitest';
import { statusesOf } from './framing/responses.js';
import { rawRequest, start, text } from './helpers.js';

/** An app that answers `ok <path>` after a turn of the event loop, so its answers lag the parser. */
const lagging: Application = async (environ, startResponse) => {
  await new Promise((resolve) => setImmediate(resolve));
  const body = text(`ok ${environ.PATH_INFO}`);
  startResponse(statusLine(200), [['Content-Length', String(body.byteLength)]]);
  return [body];
};

/** An app that streams its answer in three chunks, one per turn of the event loop. */
const streaming: Application = (_environ, startResponse) => {
  startResponse(statusLine(200), []);
  return (async function* () {
    for (const part of ['one ', 'two ', 'three']) {
      await new Promise((resolve) => setImmediate(resolve));
      yield text(part);
    }
  })();
};

const GET = (path: string) => `GET ${path} HTTP/1.1\r\nHost: h\r\n\r\n`;
const LONG = `/${'a'.repeat(20_000)}`;

// A client pipelining requests matches answers to requests by their order: a refused
// request must be answered after the requests before it, never in their place.
describe('a refused request pipelined behind others', () => {
  it('is answered after a response already written (a sync app)', async () => {
    const server = await start((_environ, startResponse) => {
      startResponse(statusLine(200), [['Content-Length', '2']]);
      return [text('ok')];
    });
    const result = await rawRequest(server.port, GET('/') + GET(LONG));
    expect(statusesOf(result.bytes)).toEqual([200, 414]);
  });

  it('waits for the answers still being made, then answers in order', async () => {
    const server = await start(lagging);
    const result = await rawRequest(server.port, GET('/1') + GET('/2') + GET(LONG));
    expect(statusesOf(result.bytes)).toEqual([200, 200, 414]);
    expect(result.text).toMatch(/ok \/1[\s\S]*ok \/2[\s\S]*request target is longer/);
  });

  it('answers a malformed header field after the response before it', async () => {
    const server = await start(lagging);
    const result = await rawRequest(server.port, `${GET('/1')}GET / HTTP/1.1\r\nHo st: h\r\n\r\n`);
    expect(statusesOf(result.bytes)).toEqual([200, 400]);
    expect(result.text).toContain('invalid character in a header');
  });

  it('lets a streamed response finish before the refusal', async () => {
    const server = await start(streaming);
    const result = await rawRequest(server.port, GET('/') + GET(LONG));
    expect(statusesOf(result.bytes)).toEqual([200, 414]);
    expect(result.text).toMatch(/one [\s\S]*two [\s\S]*three[\s\S]*414 URI Too Long/);
  });
});
