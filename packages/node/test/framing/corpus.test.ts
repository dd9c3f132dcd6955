import { createServer, type Server } from 'node:http';
import type { Application } from '@tsgi/spec';
import { statusLine } from '@tsgi/spec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServeOptions } from '../../src/index.js';
import { rawRequest, start, text } from '../helpers.js';
import { corpus, RECORDED_ON } from './corpus/index.js';
import { statusesOf } from './responses.js';

/** Reads the whole body, then answers 200: a body the server refuses surfaces as its status. */
const app: Application = async (environ, startResponse) => {
  await environ['tsgi.input'].read();
  startResponse(statusLine(200), [
    ['Content-Type', 'text/plain'],
    ['Content-Length', '2'],
  ]);
  return [text('ok')];
};

const NODE_MAJOR = Number(process.versions.node.split('.')[0]);
let raw: Server;
let rawPort = 0;
const nodeOutcomes = new Map<string, readonly number[]>();

beforeAll(async () => {
  // Raw node:http with its defaults, the same app: what TSGI adds is the difference.
  raw = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'Content-Length': 2 });
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
  rawPort = (raw.address() as { port: number }).port;
});

afterAll(async () => {
  await new Promise((resolve) => raw.close(resolve));
  const differ = corpus.filter((c) => `${nodeOutcomes.get(c.name)}` !== `${c.tsgi}`);
  console.log(
    `framing corpus: ${corpus.length} requests; raw node:http answers ${
      corpus.length - differ.length
    } the same as @tsgi/node and ${differ.length} differently`,
  );
});

describe('the framing corpus', () => {
  it('has at least 60 requests with unique names, each citing an RFC section', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(60);
    expect(new Set(corpus.map((c) => c.name)).size).toBe(corpus.length);
    for (const c of corpus) expect(c.rfc).toMatch(/^RFC \d+ §\d/);
  });

  // The HTTP/1.1 path is the same behind the h2c sniffer (`httpProtocols`
  // with 'h2c'), where the HTTP/2 preface opens HTTP/2 instead (tsgi-h2c.test.ts).
  describe.each([
    ['HTTP/1.1 alone', {}, corpus],
    [
      'HTTP/1.1 beside h2c',
      { httpProtocols: ['h2c', 'http/1.1'] } as ServeOptions,
      corpus.filter((c) => !c.request.startsWith('PRI * HTTP/2.0\r\n\r\nSM')),
    ],
  ])('%s', (_where, options, cases) => {
    it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
      const server = await start(app, options);
      const [tsgi, node] = await Promise.all([
        rawRequest(server.port, Buffer.from(c.request, 'latin1')),
        rawRequest(rawPort, Buffer.from(c.request, 'latin1')),
      ]);
      const ours = statusesOf(tsgi.bytes);
      const theirs = statusesOf(node.bytes);
      nodeOutcomes.set(c.name, theirs);
      expect(tsgi.ending, 'the server closes the connection').not.toBe('timeout');
      if (c.node !== undefined) {
        expect(c.node, 'a case marked as differing from node:http').not.toEqual(c.tsgi);
      }
      if (NODE_MAJOR === RECORDED_ON) {
        expect(ours).toEqual(c.tsgi);
        // Only the errors page's claims about raw node:http are checked; the rest is recorded.
        if (c.node !== undefined) expect(theirs, 'raw node:http').toEqual(c.node);
      } else if (`${ours}` !== `${c.tsgi}`) {
        // Another Node's llhttp may refuse a shape itself (then both answer its 4xx).
        expect(`${ours}`, 'answered as recorded or as llhttp now refuses it').toBe(`${theirs}`);
        expect(ours[0], 'llhttp refused it').toBeGreaterThanOrEqual(400);
      }
    });
  });
});
