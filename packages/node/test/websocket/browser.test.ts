import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOUNDS, bound, guarded, launchChromium } from '../../../../tools/test-support/index.ts';
import { SERVER_CLOSE } from './outside-scenario.js';
import { type OutsideServer, startTsgiServer } from './outside-servers.js';

// Real Chromium loads a page from @tsgi/node (the scenario's `/`), whose own
// script opens WebSockets back to the page's origin, exchanges messages and
// sets document.title to "done" with what it saw in window.outcome.

/** What the page's script stores in `window.outcome`. */
interface PageOutcome {
  text: string;
  binary: number[];
  ordered: string[];
  echoClose: { code: number; reason: string; wasClean: boolean };
  protocol: string;
  seenByServer: { offered: string[]; origin: string | null };
  serverClose: { code: number; reason: string; wasClean: boolean };
  denied: string;
  deniedClose: { code: number; reason: string; wasClean: boolean };
}

let server: OutsideServer | undefined;
let browser: Browser | undefined;
let page: Page;
let outcome: PageOutcome;

beforeAll(async () => {
  server = await startTsgiServer();
  const launched = await launchChromium(chromium);
  browser = launched.browser;
  page = await launched.context.newPage();
  await page.goto(`${server.url}/`);
  // A string, evaluated in the page: the tests are compiled without the DOM types.
  await page
    .waitForFunction("!document.title.startsWith('running')", undefined, {
      timeout: bound(BOUNDS.process),
    })
    .catch(async (error: unknown) => {
      const title = await page.title().catch(() => '(no title)');
      throw new Error(`the page's script stuck at "${title}": ${String(error)}`);
    });
  const title = await page.title();
  if (title !== 'done') {
    throw new Error(`the page's script ended with "${title}"; server side: ${server.problems()}`);
  }
  outcome = (await page.evaluate('window.outcome')) as PageOutcome;
});

afterAll(() =>
  guarded(
    () => expect(server?.violations()).toEqual([]),
    () => browser?.close(),
    () => server?.close(),
  ),
);

describe('Chromium: a page on @tsgi/node talks WebSocket to its own origin', () => {
  it('gets text and binary messages back intact', () => {
    expect(outcome.text).toBe('héllo from the page ✓');
    expect(outcome.binary).toEqual([0, 1, 2, 253, 254, 255]);
  });

  it('gets 50 messages back in the order sent', () => {
    expect(outcome.ordered).toEqual(Array.from({ length: 50 }, (_, i) => `message ${i}`));
  });

  it('closes cleanly with the code and reason the page chose', () => {
    expect(outcome.echoClose).toEqual({ code: 1000, reason: 'page done', wasClean: true });
  });

  it("negotiates the server's preferred subprotocol, and the app sees the page's Origin", () => {
    expect(outcome.protocol).toBe('v1');
    expect(outcome.seenByServer).toEqual({ offered: ['v2', 'v1'], origin: server?.url });
  });

  it('sees the server close with 4001 "bye"', () => {
    expect(outcome.serverClose).toEqual({ ...SERVER_CLOSE, wasClean: true });
  });

  it('fails to open a denied socket (403), as browsers report it: error, then 1006', () => {
    expect(outcome.denied).toBe('error event on /deny');
    expect(outcome.deniedClose).toEqual({ code: 1006, reason: '', wasClean: false });
  });
});
