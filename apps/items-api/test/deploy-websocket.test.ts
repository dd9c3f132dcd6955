/**
 * The deploy files pass the WebSocket of GET /items/events on: in both Nginx
 * site files its location speaks HTTP/1.1 to the upstream with the client's
 * `Upgrade` and a `Connection` from the `$connection_upgrade` map, and waits
 * for the upstream longer than tsgi lets a WebSocket stay silent before it
 * pings, so Nginx never ends a live one. e2e-nginx.test.ts runs nginx.conf.
 */
import { defaults } from '@tsgi/node';
import { describe, expect, test } from 'vitest';
import { nginxSeconds, read } from './support/deployment.js';

/** The body of `location = /items/events { … }` in `text`; throws when there is none. */
function eventsLocation(text: string): string {
  const block = /^ *location = \/items\/events \{\n([\s\S]*?)^ *\}$/m.exec(text);
  if (block === null) throw new Error('no location = /items/events');
  return block[1]!;
}

/** The value of directive `name` in `block` (its last one), or undefined. */
const directive = (block: string, name: string): string | undefined =>
  [...block.matchAll(new RegExp(`^ *${name} ([^;]+);$`, 'gm'))].at(-1)?.[1];

/** tsgi's WebSocket ping interval under deploy/tsgi.json, in seconds. */
function pingSeconds(): number {
  const json = JSON.parse(read('tsgi.json')) as Record<string, unknown>;
  return Number(json['websocket-ping-interval'] ?? defaults.websocketPingInterval / 1000);
}

describe.each(['nginx.conf', 'nginx-many-hosts.conf'])(
  'deploy/%s passes /items/events on',
  (file) => {
    const text = read(file);

    test('the map turns an Upgrade into Connection: upgrade', () => {
      expect(text).toMatch(
        /^map \$http_upgrade \$connection_upgrade \{\n {4}default upgrade;\n {4}'' +close;\n\}$/m,
      );
    });

    test('HTTP/1.1 with Upgrade and Connection, read timeouts above the ping interval', () => {
      const block = eventsLocation(text);
      expect(directive(block, 'proxy_http_version')).toBe('1.1');
      const headers = [...block.matchAll(/^ *proxy_set_header (\S+) (.+);$/gm)].map(
        ([, name, value]) => `${name} ${value}`,
      );
      expect(headers).toContain('Upgrade $http_upgrade');
      expect(headers).toContain('Connection $connection_upgrade');
      for (const name of ['proxy_read_timeout', 'proxy_send_timeout']) {
        const value = directive(block, name);
        expect(value, `${name} is set`).toBeDefined();
        expect(nginxSeconds(value!)).toBeGreaterThan(pingSeconds());
      }
    });
  },
);
