import { request } from 'node:http';
import { parseArgs } from 'node:util';
import type { Stats } from '../metrics/stats.js';
import { UsageError } from './config.js';
import { renderTop } from './top-view.js';

/** Where `tsgi top` reads `/stats`: `host:port`, a port, a URL, or a Unix socket path. */
function target(address: string): { socketPath: string } | { host: string; port: number } {
  if (address.startsWith('unix:')) return { socketPath: address.slice(5) };
  if (address.startsWith('/') || address.startsWith('.')) return { socketPath: address };
  const url = new URL(
    /^https?:\/\//.test(address)
      ? address
      : `http://${address.includes(':') ? address : `127.0.0.1:${address}`}`,
  );
  return { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || 80) };
}

/** Reads `/stats` from `address`, bounded by `timeoutMs`. */
function fetchStats(address: string, timeoutMs = 5000): Promise<Stats> {
  return new Promise((resolve, reject) => {
    const req = request({ ...target(address), path: '/stats', timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => {
        if (res.statusCode !== 200) reject(new Error(`/stats answered ${res.statusCode}`));
        else {
          try {
            resolve(JSON.parse(body) as Stats);
          } catch (error) {
            reject(error);
          }
        }
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${address} in ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `tsgi top` options after parsing. */
interface TopOptions {
  address: string;
  once: boolean;
  intervalMs: number;
}

function parseTop(argv: readonly string[]): TopOptions {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { once: { type: 'boolean' }, interval: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const [address, ...extra] = parsed.positionals;
  if (address === undefined || extra.length > 0) {
    throw new UsageError('usage: tsgi top <metrics address> [--once] [--interval seconds]');
  }
  const interval = Number(parsed.values.interval ?? 1);
  if (!(interval > 0))
    throw new UsageError(`--interval must be seconds > 0, got ${String(parsed.values.interval)}`);
  return { address, once: parsed.values.once === true, intervalMs: interval * 1000 };
}

/**
 * `tsgi top <address>`: a terminal view of the `/stats` of a `tsgi` started
 * with `--metrics <address>`, redrawn every second (q or Ctrl-C quits).
 * `--once` prints one frame (two readings a second apart, for the rates) and
 * exits, for scripts. Plain ANSI escapes (clear screen, cursor home): a
 * table redrawn whole needs no terminal library.
 */
export async function runTop(argv: readonly string[]): Promise<void> {
  const options = parseTop(argv);
  let first: Stats;
  try {
    first = await fetchStats(options.address);
  } catch (error) {
    process.stderr.write(
      `tsgi top: cannot read ${options.address}/stats: ${(error as Error).message}\n` +
        `Is tsgi running with --metrics ${options.address}?\n`,
    );
    process.exitCode = 1;
    return;
  }
  if (options.once) {
    await sleep(options.intervalMs);
    process.stdout.write(renderTop(await fetchStats(options.address), first));
    return;
  }
  const out = process.stdout;
  const stdin = process.stdin;
  let running = true;
  const quit = () => {
    running = false;
  };
  if (stdin.isTTY) {
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', (key: Buffer) => {
      const k = key.toString();
      if (k === 'q' || k === '\u0003' || k === '\u001b') quit();
    });
  }
  process.on('SIGINT', quit);
  process.on('SIGTERM', quit);
  out.write('\x1b[?25l'); // hide the cursor while drawing
  let previous: Stats | undefined;
  let current = first;
  try {
    while (running) {
      out.write(`\x1b[H\x1b[2J${renderTop(current, previous)}\n(q to quit)`);
      const deadline = Date.now() + options.intervalMs;
      while (running && Date.now() < deadline) await sleep(50);
      if (!running) break;
      previous = current;
      current = await fetchStats(options.address).catch((error: Error) => {
        out.write(`\n${error.message}`);
        return current;
      });
    }
  } finally {
    out.write('\x1b[?25h\n');
    if (stdin.isTTY) stdin.setRawMode(false);
    stdin.pause();
  }
}
