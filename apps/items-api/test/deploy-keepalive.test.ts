/**
 * The deploy files keep the rule of @tsgi/node's deploy guide: Nginx, never
 * tsgi, ends an idle kept-alive upstream connection. Each upstream with
 * `keepalive` sets a `keepalive_timeout` below the keep-alive timeout the
 * matching tsgi runs with; otherwise a request can be sent on a connection
 * tsgi is closing (the many-hosts test lost GETs that way).
 */
import { defaults } from '@tsgi/node';
import { describe, expect, test } from 'vitest';
import { nginxSeconds, read, upstreamKeepalive } from './support/deployment.js';
import { hostEnv } from './support/many-hosts.js';

/** Nginx's idle timeout for `upstream name`, checked to be set along with `keepalive`. */
function idleTimeout(text: string, name: string): number {
  const { connections, timeoutSeconds } = upstreamKeepalive(text, name);
  expect(connections, `upstream ${name} keeps idle connections`).toBeGreaterThan(0);
  expect(timeoutSeconds, `upstream ${name} sets keepalive_timeout`).toBeDefined();
  return timeoutSeconds!;
}

describe('deploy files: Nginx closes idle upstream connections before tsgi does', () => {
  test('nginx-many-hosts.conf against many-hosts.env', () => {
    const nginx = idleTimeout(read('nginx-many-hosts.conf'), 'items_api_hosts');
    const env = hostEnv({ name: 'db', ns: 'db', address: '10.0.0.2' });
    const tsgi = Number(env.TSGI_KEEP_ALIVE_TIMEOUT ?? defaults.keepAliveTimeout / 1000);
    expect(nginx).toBeLessThan(tsgi);
  });

  test('nginx.conf (proxy_pass) against tsgi.json', () => {
    const nginx = idleTimeout(read('nginx.conf'), 'items_api_http');
    const json = JSON.parse(read('tsgi.json')) as Record<string, unknown>;
    const tsgi = Number(json['keep-alive-timeout'] ?? defaults.keepAliveTimeout / 1000);
    expect(nginx).toBeLessThan(tsgi);
  });

  test('the check reads what it should: a missing timeout is seen, times convert', () => {
    const conf = (lines: string) => `upstream up {\n    server a:1;\n${lines}}\n`;
    expect(upstreamKeepalive(conf('    keepalive 8;\n'), 'up')).toEqual({
      connections: 8,
      timeoutSeconds: undefined,
    });
    expect(upstreamKeepalive(conf('    keepalive 8;\n    keepalive_timeout 1m;\n'), 'up')).toEqual({
      connections: 8,
      timeoutSeconds: 60,
    });
    expect(() => upstreamKeepalive(conf(''), 'other')).toThrow(/no upstream other/);
    expect(nginxSeconds('500ms')).toBe(0.5);
    expect(nginxSeconds('75')).toBe(75);
  });
});
