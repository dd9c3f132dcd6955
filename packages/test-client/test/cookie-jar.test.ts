import { describe, expect, test } from 'vitest';
import { CookieJar } from '../src/index.ts';
import { originOf } from '../src/request-target.ts';

const shop = originOf(new URL('http://shop.example.com'));
const api = originOf(new URL('http://api.example.com'));
const secureShop = originOf(new URL('https://shop.example.com'));
const loopback = originOf(new URL('http://127.0.0.1:8080'));

describe('CookieJar', () => {
  test('host-only cookies stay on their host; Domain cookies reach sibling subdomains', () => {
    const jar = new CookieJar(shop);
    jar.store(shop, '/', ['host=1', 'wide=2; Domain=.example.com']);
    expect(jar.header(shop, '/')).toBe('host=1; wide=2');
    expect(jar.header(api, '/')).toBe('wide=2');
  });

  test('a Domain that is not the host or a parent of it is refused', () => {
    const jar = new CookieJar(shop);
    jar.store(shop, '/', ['a=1; Domain=other.com', 'b=2; Domain=api.example.com']);
    expect(jar.all()).toEqual([]);
  });

  test('the default path is the directory of the request path; Path limits by segment', () => {
    const jar = new CookieJar(shop);
    jar.store(shop, '/account/login?next=/', ['dir=1', 'docs=2; Path=/docs']);
    expect(jar.header(shop, '/account/settings')).toBe('dir=1');
    expect(jar.header(shop, '/accounts')).toBeUndefined();
    expect(jar.header(shop, '/docs/x')).toBe('docs=2');
    expect(jar.header(shop, '/docsx')).toBeUndefined();
  });

  test('Max-Age wins over Expires and counts from now', () => {
    const jar = new CookieJar(shop);
    const now = Date.parse('2026-01-01T00:00:00Z');
    jar.store(shop, '/', ['a=1; Expires=Thu, 01 Jan 2099 00:00:00 GMT; Max-Age=60'], now);
    expect(jar.header(shop, '/', now + 59_000)).toBe('a=1');
    expect(jar.header(shop, '/', now + 61_000)).toBeUndefined();
  });

  test('Secure cookies go over https and to loopback hosts only', () => {
    const jar = new CookieJar(secureShop);
    jar.store(secureShop, '/', ['s=1; Secure']);
    expect(jar.header(secureShop, '/')).toBe('s=1');
    expect(jar.header(shop, '/')).toBeUndefined();
    jar.store(shop, '/', ['refused=1; Secure']);
    expect(jar.get('refused')).toBeUndefined();
    jar.store(loopback, '/', ['local=1; Secure']);
    expect(jar.header(loopback, '/')).toBe('local=1');
  });

  test('a new value replaces the old; set() and clear() by hand', () => {
    const jar = new CookieJar(shop);
    jar.store(shop, '/', ['a=1']);
    jar.store(shop, '/', ['a=2']);
    jar.set('b', '3', 'Path=/admin');
    expect(jar.header(shop, '/')).toBe('a=2');
    expect(jar.header(shop, '/admin')).toBe('b=3; a=2');
    jar.clear('a');
    expect(jar.header(shop, '/')).toBeUndefined();
    jar.clear();
    expect(jar.all()).toEqual([]);
  });
});
