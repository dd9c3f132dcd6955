import { serve, type TsgiServer } from '@tsgi/node';
import type { Application, Environ } from '@tsgi/spec';
import { jsonResponse, readText } from '@tsgi/spec';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { guarded, launchChromium } from '../../../tools/test-support/index.ts';
import { cors } from '../src/index.ts';

// Real Chromium, two loopback origins: the page on one port, the API on
// another (a different port is a different origin). The browser enforces CORS
// on what our middleware sends.

interface Seen {
  method: string;
  path: string;
  preflight: boolean;
}

/** What a `fetch` in the page came back with. */
type FetchResult =
  | { ok: true; status: number; text: string; headers: Record<string, string | null> }
  | { ok: false; error: string };

let browser: Browser;
let page: Page;
let pageServer: TsgiServer;
let apiServer: TsgiServer;
let pageOrigin: string;
let api: string;
const seen: Seen[] = [];

/** The API behind the middleware: echoes what it got, with two extra headers. */
const endpoint: Application = async (environ, startResponse) => {
  const body = environ.REQUEST_METHOD === 'POST' ? await readText(environ) : '';
  return jsonResponse(
    startResponse,
    200,
    {
      method: environ.REQUEST_METHOD,
      path: environ.SCRIPT_NAME + environ.PATH_INFO,
      cookie: environ.HTTP_COOKIE ?? null,
      body,
    },
    [
      ['X-Exposed', 'visible'],
      ['X-Hidden', 'secret'],
    ],
  );
};

/** One API server; the first path segment picks the CORS configuration. */
function apiApp(origin: string): Application {
  const routes: Record<string, Application> = {
    // Allows the page's origin, exposes one header, no credentials.
    open: cors(endpoint, { origin, exposedHeaders: ['X-Exposed'] }),
    // Allows only some other site: the page's origin is refused.
    closed: cors(endpoint, { origin: 'http://elsewhere.example', credentials: true }),
    // Allows the page's origin with credentials.
    creds: cors(endpoint, { origin: [origin], credentials: true }),
    // The tutorial's default: any origin, as `*`.
    any: cors(endpoint),
  };
  return (environ: Environ, startResponse) => {
    const segment = environ.PATH_INFO.split('/')[1] ?? '';
    seen.push({
      method: environ.REQUEST_METHOD,
      path: environ.PATH_INFO,
      preflight: environ.HTTP_ACCESS_CONTROL_REQUEST_METHOD !== undefined,
    });
    const route = routes[segment];
    if (route === undefined) return jsonResponse(startResponse, 404, { error: 'no such route' });
    return route(environ, startResponse);
  };
}

const pageApp: Application = (_environ, startResponse) => {
  const html = new TextEncoder().encode('<!doctype html><title>cors page</title><p>page</p>');
  startResponse('200 OK', [
    ['Content-Type', 'text/html; charset=utf-8'],
    ['Content-Length', String(html.byteLength)],
  ]);
  return [html];
};

/** Runs `fetch(api + path, init)` in the page and reports what the script could see. */
function pageFetch(path: string, init: RequestInit = {}): Promise<FetchResult> {
  return page.evaluate(
    async ({ url, init }) => {
      try {
        const res = await fetch(url, init);
        const headers: Record<string, string | null> = {};
        for (const name of ['x-exposed', 'x-hidden', 'content-type']) {
          headers[name] = res.headers.get(name);
        }
        return { ok: true as const, status: res.status, text: await res.text(), headers };
      } catch (error) {
        return { ok: false as const, error: String(error) };
      }
    },
    { url: `${api}${path}`, init: init as Record<string, unknown> },
  );
}

beforeAll(async () => {
  pageServer = await serve(pageApp, { host: '127.0.0.1', port: 0 });
  pageOrigin = `http://127.0.0.1:${pageServer.address.port}`;
  apiServer = await serve(apiApp(pageOrigin), { host: '127.0.0.1', port: 0 });
  api = `http://127.0.0.1:${apiServer.address.port}`;
  const launched = await launchChromium(chromium);
  browser = launched.browser;
  const { context } = launched;
  await context.addCookies([{ name: 'session', value: 'abc123', url: api }]);
  page = await context.newPage();
  await page.goto(`${pageOrigin}/`);
});

// Each is stopped even if another fails; the first failure is the one reported.
afterAll(() =>
  guarded(
    () => browser?.close(),
    () => apiServer?.close(),
    () => pageServer?.close(),
  ),
);

beforeEach(() => {
  seen.length = 0;
});

describe('CORS in a real browser (Chromium)', () => {
  it('runs the page and the API on two different origins', () => {
    expect(new URL(pageOrigin).origin).not.toBe(new URL(api).origin);
  });

  it('lets a simple cross-origin GET through', async () => {
    const res = await pageFetch('/open/items');
    expect(res).toMatchObject({ ok: true, status: 200 });
    expect(JSON.parse((res as { text: string }).text)).toMatchObject({ path: '/open/items' });
    expect(seen).toEqual([{ method: 'GET', path: '/open/items', preflight: false }]);
  });

  it('lets a JSON POST through after its preflight, which the API saw first', async () => {
    const res = await pageFetch('/open/items', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ title: 'write tests' }),
    });
    expect(res).toMatchObject({ ok: true, status: 200 });
    expect(JSON.parse((res as { text: string }).text)).toMatchObject({
      method: 'POST',
      body: '{"title":"write tests"}',
    });
    expect(seen).toEqual([
      { method: 'OPTIONS', path: '/open/items', preflight: true },
      { method: 'POST', path: '/open/items', preflight: false },
    ]);
  });

  it('blocks a disallowed origin in the browser, though the request reached the API', async () => {
    const res = await pageFetch('/closed/items');
    expect(res.ok).toBe(false);
    expect((res as { error: string }).error).toMatch(/TypeError/);
    expect(seen).toEqual([{ method: 'GET', path: '/closed/items', preflight: false }]);
  });

  it('blocks a disallowed origin at the preflight: the POST is never sent', async () => {
    const res = await pageFetch('/closed/items', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(res.ok).toBe(false);
    expect(seen).toEqual([{ method: 'OPTIONS', path: '/closed/items', preflight: true }]);
  });

  it('lets scripts read an exposed header and not an unexposed one', async () => {
    const res = await pageFetch('/open/headers');
    expect(res.ok).toBe(true);
    const { headers } = res as { headers: Record<string, string | null> };
    expect(headers['x-exposed']).toBe('visible');
    expect(headers['x-hidden']).toBeNull();
    expect(headers['content-type']).toMatch(/^application\/json/); // CORS-safelisted
  });

  it('sends the cookie and lets the page read the answer when credentials are configured', async () => {
    const res = await pageFetch('/creds/me', { credentials: 'include' });
    expect(res).toMatchObject({ ok: true, status: 200 });
    expect(JSON.parse((res as { text: string }).text)).toMatchObject({
      cookie: 'session=abc123',
    });
  });

  it('refuses a credentialed request where credentials are not configured', async () => {
    for (const path of ['/open/me', '/any/me']) {
      const res = await pageFetch(path, { credentials: 'include' });
      expect(res.ok).toBe(false);
    }
    // The same requests without credentials work.
    expect((await pageFetch('/open/me')).ok).toBe(true);
    expect((await pageFetch('/any/me')).ok).toBe(true);
  });

  it("answers a credentialed JSON POST's preflight with the origin, not *", async () => {
    const res = await pageFetch('/creds/items', {
      method: 'POST',
      credentials: 'include',
      headers: { 'Content-Type': 'application/json', 'X-Token': 't' },
      body: '{"a":1}',
    });
    expect(res).toMatchObject({ ok: true, status: 200 });
    expect(JSON.parse((res as { text: string }).text)).toMatchObject({
      cookie: 'session=abc123',
      body: '{"a":1}',
    });
    expect(seen.map((s) => s.method)).toEqual(['OPTIONS', 'POST']);
  });
});
