import type { ListenOptions } from '../options/options.js';

/**
 * Where `--metrics` listens: `host:port` (`127.0.0.1:9100`, `[::1]:9100`), a
 * bare port (on 127.0.0.1), or a Unix socket path (anything with a `/`).
 * Throws a `TypeError` for anything else, or for the application's own TCP
 * `appPort`: the figures never share the application's listener.
 */
export function metricsListenOptions(value: string, appPort?: number): ListenOptions {
  const text = value.trim();
  if (text.includes('/')) return { socket: text };
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$|^(\d+)$/.exec(text);
  if (match === null) {
    throw new TypeError(
      `metrics must be host:port, a port or a Unix socket path, got ${JSON.stringify(value)}`,
    );
  }
  const port = Number(match[3] ?? match[4]);
  const host = match[1] ?? (match[2] || '127.0.0.1');
  if (port > 65_535) throw new TypeError(`metrics: port must be 0-65535, got ${port}`);
  if (port !== 0 && port === appPort) {
    throw new TypeError(`metrics: port ${port} is the application's; give the metrics their own`);
  }
  return { host, port };
}
