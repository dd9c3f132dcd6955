/**
 * Headless Chromium (Debian's `/usr/bin/chromium`) through playwright-core,
 * launched the way the CORS browser tests launch it, with Playwright's own
 * time limits replaced by the shared bounds.
 */
import { existsSync } from 'node:fs';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';
import { BOUNDS, bound } from '../../../../tools/test-support/index.ts';

/** Where Debian installs Chromium. */
export const CHROMIUM = '/usr/bin/chromium';

/** Starts headless Chromium and one context whose waits are bounded by `BOUNDS.process`. */
export async function launchChromium(): Promise<{ browser: Browser; context: BrowserContext }> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium) to run the browser tests`,
    );
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-quic',
      '--disable-sync',
    ],
    timeout: bound(BOUNDS.slow),
  });
  const context = await browser.newContext();
  context.setDefaultTimeout(bound(BOUNDS.process));
  context.setDefaultNavigationTimeout(bound(BOUNDS.process));
  return { browser, context };
}
