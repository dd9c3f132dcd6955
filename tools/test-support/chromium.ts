/**
 * Headless Chromium (Debian's `/usr/bin/chromium`) for the browser tests,
 * with Playwright's own time limits replaced by the shared bounds.
 *
 * This directory has no dependencies of its own: the test passes in
 * playwright-core's `chromium`, from the playwright-core its package lists as
 * a devDependency, and gets back that playwright-core's own types.
 */
import { existsSync } from 'node:fs';
import { BOUNDS, bound } from './time.ts';

/** Where Debian installs Chromium. */
export const CHROMIUM = '/usr/bin/chromium';

/** Headless, and nothing that talks to the network on its own or waits on a GPU. */
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-quic',
  '--disable-sync',
];

/** What the launcher uses of a browser context: its two default time limits. */
export interface BoundableContext {
  setDefaultTimeout(ms: number): void;
  setDefaultNavigationTimeout(ms: number): void;
}

/** What the launcher uses of a browser: a new context, and closing it when that fails. */
export interface LaunchableBrowser {
  newContext(): Promise<BoundableContext>;
  close(): Promise<void>;
}

/** What the launcher uses of playwright-core's `chromium` (a `BrowserType`). */
export interface ChromiumType<B extends LaunchableBrowser> {
  launch(options: {
    executablePath: string;
    args: string[];
    timeout: number;
    env?: Record<string, string | undefined>;
  }): Promise<B>;
}

/** What a test may change of the launch. */
export interface LaunchOptions {
  /**
   * The browser process's environment instead of the test's own: a test that
   * gives Chromium a `HOME` with its own NSS database (`~/.pki/nssdb`) makes
   * it trust that database's CA.
   */
  env?: Record<string, string | undefined>;
}

/**
 * Starts headless Chromium through `chromium` (`import { chromium } from
 * 'playwright-core'`) and one context whose waits and navigations are bounded
 * by `BOUNDS.process`. Throws, saying how to install it, when Chromium is
 * missing; a browser whose context fails is closed before the error is thrown.
 * `options.env` replaces the environment the browser starts with.
 *
 * @example
 * const { browser, context } = await launchChromium(chromium);
 * const page = await context.newPage();
 */
export async function launchChromium<B extends LaunchableBrowser>(
  chromium: ChromiumType<B>,
  options: LaunchOptions = {},
): Promise<{ browser: B; context: Awaited<ReturnType<B['newContext']>> }> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium) to run the browser tests`,
    );
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ARGS,
    timeout: bound(BOUNDS.slow),
    ...(options.env === undefined ? {} : { env: options.env }),
  });
  try {
    const context = (await browser.newContext()) as Awaited<ReturnType<B['newContext']>>;
    // Playwright's own 30 s defaults, replaced by a bound a busy machine is sized for.
    context.setDefaultTimeout(bound(BOUNDS.process));
    context.setDefaultNavigationTimeout(bound(BOUNDS.process));
    return { browser, context };
  } catch (error) {
    await browser.close().catch(() => {});
    throw error;
  }
}
