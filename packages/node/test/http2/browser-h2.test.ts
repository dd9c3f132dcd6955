// Headless Chromium loads a page from tsgi over HTTP/2, trusting the test CA
// through an NSS database in a HOME of its own (not by ignoring certificate
// errors): the page, its script and its fetches all go over h2; a server whose
// certificate comes from another CA is refused.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOUNDS, bound, guarded, launchChromium } from '../../../../tools/test-support/index.ts';
import { PAGE_SUBRESOURCES } from './h2-page.ts';
import type { Seen } from './tsgi-app.ts';
import { startTsgiH2, type TsgiH2 } from './tsgi-server.ts';

const run = promisify(execFile);

/**
 * A HOME in a `mkdtemp` folder whose NSS database (`.pki/nssdb`, where
 * Chromium on Linux looks) trusts `ca` to issue server certificates.
 */
async function homeTrusting(ca: string): Promise<string> {
  const home = mkdtempSync(join(tmpdir(), 'tsgi-chromium-home-'));
  const db = `sql:${join(home, '.pki', 'nssdb')}`;
  mkdirSync(join(home, '.pki', 'nssdb'), { recursive: true });
  const options = { timeout: bound(BOUNDS.process) };
  await run('certutil', ['-N', '-d', db, '--empty-password'], options);
  await run('certutil', ['-A', '-d', db, '-t', 'C,,', '-n', 'tsgi-test-ca', '-i', ca], options);
  return home;
}

let target: TsgiH2 | undefined;
let home: string | undefined;
let browser: Browser | undefined;
let page: Page;

beforeAll(async () => {
  target = await startTsgiH2();
  home = await homeTrusting(target.pki.ca);
  const launched = await launchChromium(chromium, { env: { ...process.env, HOME: home } });
  browser = launched.browser;
  page = await launched.context.newPage();
});

afterAll(() =>
  guarded(
    async () => {},
    () => browser?.close(),
    () => target?.close(),
    () => home && rmSync(home, { recursive: true, force: true }),
  ),
);

describe('Chromium over HTTP/2, trusting the test CA', () => {
  it('loads a page, its script and its fetches over h2; the app sees HTTP/2.0', async () => {
    const origin = `https://localhost:${target!.port}`;
    const response = await page.goto(`${origin}/page`);
    expect(response?.status()).toBe(200);
    // Strings, evaluated in the page: the tests are compiled without the DOM types.
    await page.waitForFunction("!document.title.startsWith('running')");
    expect(await page.title()).toBe('done');
    // Resource timing lists a fetch once its body is read: wait for all of them.
    await page.waitForFunction(
      `performance.getEntriesByType('resource').length >= ${PAGE_SUBRESOURCES.length}`,
    );
    const seen = (await page.evaluate(`({
      navigation: performance.getEntriesByType('navigation')[0].nextHopProtocol,
      resources: performance.getEntriesByType('resource').map((entry) => {
        const url = new URL(entry.name);
        return [url.pathname + url.search, entry.nextHopProtocol];
      }),
      answers: window.answers,
    })`)) as { navigation: string; resources: [string, string][]; answers: Seen[] };
    expect(seen.navigation).toBe('h2');
    expect(seen.resources.sort()).toEqual(PAGE_SUBRESOURCES.map((path) => [path, 'h2']));
    expect(seen.answers).toEqual(
      [1, 2, 3].map((n) => ({
        protocol: 'HTTP/2.0',
        host: `localhost:${target!.port}`,
        scheme: 'https',
        method: 'GET',
        path: '/seen',
        query: `r=${n}`,
      })),
    );
  });

  it('refuses a server whose certificate comes from another CA: ERR_CERT_AUTHORITY_INVALID', async () => {
    const stranger = await startTsgiH2();
    await guarded(
      async () => {
        const failure = await page.goto(`https://localhost:${stranger.port}/page`).then(
          () => 'loaded',
          (error: unknown) => String(error),
        );
        expect(failure).toMatch(/net::ERR_CERT_AUTHORITY_INVALID/);
      },
      () => stranger.close(),
    );
  });
});
