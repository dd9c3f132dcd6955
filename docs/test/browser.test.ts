import type { Server } from 'node:http';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guarded, launchChromium } from '../../tools/test-support/index.ts';
import { DIST } from './site.ts';
import { serveStatic } from './static-server.ts';

// Real Chromium on the built site, served from docs/dist on loopback: the
// home page and a deep page render their navigation, search finds a word of
// a deep page, and no page logs an error.

let browser: Browser;
let page: Page;
let server: Server;
let origin: string;
const errors: string[] = [];

beforeAll(async () => {
  ({ server, origin } = await serveStatic(DIST));
  const launched = await launchChromium(chromium);
  browser = launched.browser;
  page = await launched.context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`${page.url()}: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) errors.push(`${response.status()} for ${response.url()}`);
  });
});

afterAll(() =>
  guarded(
    () => expect(errors, `console errors:\n${errors.join('\n')}`).toEqual([]),
    () => browser?.close(),
    () => new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined))),
  ),
);

describe('the site in Chromium', () => {
  it('shows the home page with its nav', async () => {
    await page.goto(`${origin}/`);
    await page.locator('.VPHero .name').getByText('TSGI').waitFor();
    const nav = page.locator('.VPNavBarMenu a');
    await nav.first().waitFor();
    expect(await nav.allTextContents()).toEqual(expect.arrayContaining(['Protocol', 'Reference']));
    expect(errors).toEqual([]);
  });

  it('shows a deep page with its sidebar and outline', async () => {
    await page.goto(`${origin}/reference/cli.html`);
    await page.locator('.VPDoc h1').getByText('command line').waitFor();
    const sidebar = page.locator('.VPSidebar');
    await sidebar.locator('a[href="/reference/cli.html"]').waitFor();
    expect(await sidebar.locator('.VPSidebarItem.level-0 > .item .text').allTextContents()).toEqual(
      expect.arrayContaining(['Protocol', 'Reference']),
    );
    await page
      .locator('.VPDocAsideOutline a[href="#group-workers"]')
      .waitFor({ state: 'attached' });
    expect(errors).toEqual([]);
  });

  it('finds a word of a deep page with the search box', async () => {
    await page.goto(`${origin}/`);
    await page.locator('.VPNavBarSearch button').click();
    const input = page.locator('.VPLocalSearchBox input');
    await input.fill('harakiri');
    await page.locator('.VPLocalSearchBox .result[href*="/reference/cli.html"]').first().waitFor();
    expect(errors).toEqual([]);
  });
});
