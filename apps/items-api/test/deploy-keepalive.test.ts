/**
 * The deploy files keep the rule of @tsgi/node's deploy guide: Nginx, never
 * tsgi, ends an idle kept-alive upstream connection. Each upstream with
 * `keepalive` sets a `keepalive_timeout` below the keep-alive timeout the
 * matching tsgi runs with; otherwise a request can be sent on a connection
 * tsgi is closing (the many-hosts test lost GETs that way).
 */
import { defaults } from '@tsgi/node';
import { describe, expect, test } from 'vitest';
import { proxyVariant, read } from './support/deployment.js';
import { hostEnv } from './support/many-hosts.js';

/** An Nginx time (`10s`, `1m`, `500ms`, a bare number of seconds) in seconds. */
function nginxSeconds(value: string): number {
  const match = /^(\d+)(ms|s|m|h)?$/.exec(value);
  if (match === null) throw new Error(`not an Nginx time: ${value}`);
  const scale = { ms: 0.001, s: 1, m: 60, h: 3600 }[match[2] ?? 's']!;
  return Number(match[1]) * scale;
}

/** `keepalive_timeout` of `upstream name { … }` in `text`, in seconds; undefined when not set. */
function upstreamKeepaliveTimeout(text: string, name: string): number | undefined {
  const block = new RegExp(`^\\s*upstream ${name} \\{\\n([^}]*)\\}`, 'm').exec(text);
  if (block === null) throw new Error(`no upstream ${name}`);
  expect(block[1]).toMatch(/^\s*keepalive \d+;$/m);
  const timeout = /^\s*keepalive_timeout (\S+);$/m.exec(block[1]!);
  return timeout === null ? undefined : nginxSeconds(timeout[1]!);
}

describe('deploy files: Nginx closes idle upstream connections before tsgi does', () => {
  test('nginx-many-hosts.conf against many-hosts.env', () => {
    const nginx = upstreamKeepaliveTimeout(read('nginx-many-hosts.conf'), 'items_api_hosts');
    const env = hostEnv({ name: 'db', ns: 'db', address: '10.0.0.2' });
    const tsgi = Number(env.TSGI_KEEP_ALIVE_TIMEOUT ?? defaults.keepAliveTimeout / 1000);
    expect(nginx).toBeDefined();
    expect(nginx!).toBeLessThan(tsgi);
  });

  test("nginx.conf's proxy_pass variant against tsgi.json", () => {
    const nginx = upstreamKeepaliveTimeout(proxyVariant(read('nginx.conf')), 'items_api_http');
    const json = JSON.parse(read('tsgi.json')) as Record<string, unknown>;
    const tsgi = Number(json['keep-alive-timeout'] ?? defaults.keepAliveTimeout / 1000);
    expect(nginx).toBeDefined();
    expect(nginx!).toBeLessThan(tsgi);
  });

  test('the check reads what it should: a missing or too long timeout is seen', () => {
    const conf = (lines: string) => `upstream up {\n    server a:1;\n${lines}}\n`;
    expect(upstreamKeepaliveTimeout(conf('    keepalive 8;\n'), 'up')).toBeUndefined();
    expect(
      upstreamKeepaliveTimeout(conf('    keepalive 8;\n    keepalive_timeout 1m;\n'), 'up'),
    ).toBe(60);
    expect(nginxSeconds('500ms')).toBe(0.5);
    expect(nginxSeconds('75')).toBe(75);
  });
});
