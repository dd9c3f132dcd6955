import { serve, type TsgiServer } from '@tsgi/node';
import type { Application } from '@tsgi/spec';
import { createClient } from '@tsgi/test-client';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BOUNDS, guarded, launchChromium, until } from '../../../tools/test-support/index.ts';
import { createApp } from '../src/app.js';
import { parseCorsOrigins } from '../src/cors-origins.js';
import { SENT_CLOSE } from '../src/events/client-stream.js';
import type { Item } from '../src/store/store.js';
import { sqliteFixture } from './support/stores.js';

// Real Chromium, three loopback origins: items-api on one port, and a small
// page served from two others (a different port is a different origin), one
// of them in CORS_ORIGINS. The page's own script opens a WebSocket to
// items-api's /items/events and records every event the socket fires in
// window.seen; the test reads that list.

/** One event of the page's WebSocket, as its script records it. */
type PageEvent =
  | { kind: 'open'; protocol: string }
  | { kind: 'message'; data: string }
  | { kind: 'error' }
  | { kind: 'close'; code: number; reason: string; wasClean: boolean };

/** What items-api answered an upgrade of /items/events, recorded around the app. */
interface Upgrade {
  origin: string | undefined;
  /** The status it sent instead of accepting; undefined when it accepted. */
  status: string | undefined;
}

/** The page: opens `?events=<ws url>` with the items.v1 subprotocol, records into window.seen. */
const PAGE = `<!doctype html>
<meta charset="utf-8">
<title>items events</title>
<script>
  const seen = [];
  window.seen = seen;
  const events = new URLSearchParams(location.search).get('events');
  const socket = new WebSocket(events, 'items.v1');
  window.socket = socket;
  socket.onopen = () => seen.push({ kind: 'open', protocol: socket.protocol });
  socket.onmessage = (event) => seen.push({ kind: 'message', data: event.data });
  socket.onerror = () => seen.push({ kind: 'error' });
  socket.onclose = (event) =>
    seen.push({ kind: 'close', code: event.code, reason: event.reason, wasClean: event.wasClean });
</script>
`;

const pageApp: Application = (_environ, startResponse) => {
  const html = new TextEncoder().encode(PAGE);
  startResponse('200 OK', [
    ['Content-Type', 'text/html; charset=utf-8'],
    ['Content-Length', String(html.byteLength)],
  ]);
  return [html];
};

/** `app`, recording each upgrade of /items/events: its Origin and any status sent instead. */
function recordingUpgrades(app: Application, upgrades: Upgrade[]): Application {
  return (environ, startResponse) => {
    if (environ.PATH_INFO !== '/items/events' || environ['tsgi.websocket'] === undefined) {
      return app(environ, startResponse);
    }
    const upgrade: Upgrade = { origin: environ.HTTP_ORIGIN, status: undefined };
    upgrades.push(upgrade);
    return app(environ, (status, headers, excInfo) => {
      upgrade.status = status;
      return startResponse(status, headers, excInfo);
    });
  };
}

const fixture = sqliteFixture();
const servers: TsgiServer[] = [];
const upgrades: Upgrade[] = [];
const serverOutput: string[] = [];
const pageOutput: string[] = [];
let browser: Browser | undefined;
let context: BrowserContext;
let api: string;
let allowedOrigin: string;
let otherOrigin: string;

/** The page server on a free loopback port; its origin. */
async function servePage(): Promise<string> {
  const server = await serve(pageApp, { host: '127.0.0.1', port: 0 });
  servers.push(server);
  return `http://127.0.0.1:${server.address.port}`;
}

/** A new tab on the page from `origin`, its WebSocket opened to items-api's /items/events. */
async function openPage(origin: string): Promise<Page> {
  const page = await context.newPage();
  page.on('console', (message) => pageOutput.push(`${origin} console: ${message.text()}`));
  page.on('pageerror', (error) => pageOutput.push(`${origin} error: ${error.message}`));
  const events = `ws://${new URL(api).host}/items/events`;
  await page.goto(`${origin}/?events=${encodeURIComponent(events)}`);
  return page;
}

/** Waits until the page's socket has fired an event `wanted` accepts; returns every event so far. */
async function waitForEvent(
  page: Page,
  what: string,
  wanted: (event: PageEvent) => boolean,
): Promise<PageEvent[]> {
  let seen: PageEvent[] = [];
  await until(
    async () => {
      seen = (await page.evaluate('window.seen')) as PageEvent[];
      return seen.some(wanted);
    },
    {
      ms: BOUNDS.process,
      what,
      details: () =>
        [
          `the page's socket fired: ${JSON.stringify(seen)}`,
          `upgrades items-api saw: ${JSON.stringify(upgrades)}`,
          ...pageOutput,
          ...serverOutput,
        ].join('\n'),
    },
  );
  return seen;
}

beforeAll(async () => {
  await fixture.setup();
  const { store } = await fixture.fresh();
  allowedOrigin = await servePage();
  otherOrigin = await servePage();
  const app = createApp({
    store,
    validate: true,
    log: false,
    corsOrigins: parseCorsOrigins(`https://shop.example,${allowedOrigin}`),
    eventsLog: (line) => serverOutput.push(line),
  });
  const server = await serve(recordingUpgrades(app, upgrades), {
    host: '127.0.0.1',
    port: 0,
    errors: { write: (text: string) => serverOutput.push(text) > 0 },
  });
  servers.push(server);
  api = `http://127.0.0.1:${server.address.port}`;
  ({ browser, context } = await launchChromium(chromium));
});

// Each is stopped even if another fails; the first failure is the one reported.
afterAll(() =>
  guarded(
    () => browser?.close(),
    () => Promise.all(servers.splice(0).map((server) => server.close({ timeout: 500 }))),
    () => fixture.teardown(),
  ),
);

describe('Chromium: a page opens /items/events on items-api from another origin', () => {
  test('a page from an origin in CORS_ORIGINS gets each item POSTed; its message gets 1008', async () => {
    expect(new URL(allowedOrigin).origin).not.toBe(new URL(api).origin);
    const page = await openPage(allowedOrigin);
    await waitForEvent(page, 'the WebSocket to open', (event) => event.kind === 'open');

    const response = await createClient(api).post('/items', {
      json: { name: 'lampe à pied ✓', stock: 3 },
    });
    expect(response.status).toBe(201);
    const { item } = (await response.json()) as { item: Item };

    const seen = await waitForEvent(page, 'the item.created message', (e) => e.kind === 'message');
    const messages = seen.flatMap((e) => (e.kind === 'message' ? [JSON.parse(e.data)] : []));
    expect(messages).toEqual([{ type: 'item.created', item }]);

    await page.evaluate("window.socket.send('hello?')");
    const ended = await waitForEvent(page, 'the server to close', (e) => e.kind === 'close');
    expect(
      ended.map((e) => (e.kind === 'message' ? { ...e, data: JSON.parse(e.data) } : e)),
    ).toEqual([
      { kind: 'open', protocol: 'items.v1' },
      { kind: 'message', data: { type: 'item.created', item } },
      { kind: 'close', ...SENT_CLOSE, wasClean: true },
    ]);
    expect(upgrades.filter((u) => u.origin === allowedOrigin)).toEqual([
      { origin: allowedOrigin, status: undefined },
    ]);
    await page.close();
  });

  test('a page from an origin not in CORS_ORIGINS gets no connection: items-api answers 403', async () => {
    const page = await openPage(otherOrigin);
    // Stops at an open too: a socket let through fails the assertion at once.
    const seen = await waitForEvent(page, 'the WebSocket to fail', (e) => e.kind !== 'error');
    // As browsers report a refused handshake: an error, then 1006, never open.
    expect(seen).toEqual([
      { kind: 'error' },
      { kind: 'close', code: 1006, reason: '', wasClean: false },
    ]);
    expect(upgrades.filter((u) => u.origin === otherOrigin)).toEqual([
      { origin: otherOrigin, status: '403 Forbidden' },
    ]);
    await page.close();
  });
});
