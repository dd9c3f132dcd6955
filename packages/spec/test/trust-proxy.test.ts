import { describe, expect, it } from 'vitest';
import { compileTrust, readForwarded, unmapIPv4 } from '../src/index.ts';

describe('compileTrust', () => {
  it('matches addresses, CIDRs, loopback and unix', () => {
    const trusted = compileTrust(['loopback', '10.0.0.0/8', '2001:db8::/32', '192.0.2.1', 'unix'])!;
    expect(trusted('127.0.0.1')).toBe(true);
    expect(trusted('127.9.9.9')).toBe(true);
    expect(trusted('::1')).toBe(true);
    expect(trusted('::ffff:10.0.0.1')).toBe(true);
    expect(trusted('10.255.0.1')).toBe(true);
    expect(trusted('11.0.0.1')).toBe(false);
    expect(trusted('2001:db8:1::1')).toBe(true);
    expect(trusted('2001:db9::1')).toBe(false);
    expect(trusted('192.0.2.1')).toBe(true);
    expect(trusted('192.0.2.2')).toBe(false);
    expect(trusted('')).toBe(true);
    expect(compileTrust(['loopback'])!('')).toBe(false);
    expect(compileTrust(undefined)).toBeUndefined();
    expect(compileTrust(false)).toBeUndefined();
    expect(compileTrust(' , ')).toBeUndefined();
    expect(compileTrust(true)!('198.51.100.1')).toBe(true);
  });

  it('reads a comma-separated string like an array', () => {
    const trusted = compileTrust('unix, 10.0.0.0/8')!;
    expect(trusted('')).toBe(true);
    expect(trusted('10.0.0.1')).toBe(true);
    expect(trusted('127.0.0.1')).toBe(false);
  });

  it('throws a TypeError naming the option (trustProxy unless told) and the entry', () => {
    expect(() => compileTrust(['10.0.0.0/33'])).toThrow(
      new TypeError('trustProxy entry "10.0.0.0/33" has a bad prefix length'),
    );
    expect(() => compileTrust(['proxy.example'])).toThrow(
      new TypeError(`trustProxy entry "proxy.example" is not an IP, CIDR, 'loopback' or 'unix'`),
    );
    expect(() => compileTrust('10.0.0.0/', 'app: "trust"')).toThrow(
      new TypeError('app: "trust" entry "10.0.0.0/" has a bad prefix length'),
    );
    expect(() => compileTrust(8 as unknown as string, 'app: "trust"')).toThrow(
      new TypeError('app: "trust" must be true, false, a string or an array of strings, got 8'),
    );
    expect(() => compileTrust([1] as unknown as string[])).toThrow(
      new TypeError('trustProxy entry 1 is not a string'),
    );
  });
});

describe('unmapIPv4', () => {
  it('unmaps IPv4-mapped IPv6 and leaves other addresses alone', () => {
    expect(unmapIPv4('::ffff:10.0.0.1')).toBe('10.0.0.1');
    expect(unmapIPv4('::FFFF:192.0.2.7')).toBe('192.0.2.7');
    expect(unmapIPv4('::1')).toBe('::1');
    expect(unmapIPv4('2001:db8::1')).toBe('2001:db8::1');
    expect(unmapIPv4('')).toBe('');
  });
});

describe('readForwarded', () => {
  const trusted = compileTrust(['loopback', '10.0.0.0/8'])!;

  it('walks X-Forwarded-For from the right, skipping trusted hops', () => {
    // 198.51.100.1 is whatever the client claimed: only 203.0.113.9 was seen by a trusted proxy.
    const info = readForwarded(
      trusted,
      undefined,
      '198.51.100.1, 203.0.113.9, 10.1.2.3',
      'https',
      'public.example',
    );
    expect(info).toEqual({
      address: '203.0.113.9',
      port: undefined,
      scheme: 'https',
      host: 'public.example',
    });
  });

  it('takes -Proto and -Host from the same hop when the lists line up', () => {
    const info = readForwarded(trusted, undefined, '203.0.113.9, 10.1.2.3', 'http, https', 'a, b');
    expect(info).toMatchObject({ address: '203.0.113.9', scheme: 'http', host: 'a' });
  });

  it('ignores a scheme other than http or https, and an address that is not an IP', () => {
    const info = readForwarded(trusted, undefined, 'unknown', 'ftp', undefined);
    expect(info).toEqual({
      address: undefined,
      port: undefined,
      scheme: undefined,
      host: undefined,
    });
  });

  it('reads RFC 7239 Forwarded, which wins over X-Forwarded-*', () => {
    const info = readForwarded(
      trusted,
      'for=192.0.2.60;proto=http, for="[2001:db8:cafe::17]:4711";proto=https;host=shop.example',
      '198.51.100.7',
      undefined,
      undefined,
    );
    expect(info).toEqual({
      address: '2001:db8:cafe::17',
      port: '4711',
      scheme: 'https',
      host: 'shop.example',
    });
  });

  it('skips trusted Forwarded elements from the right', () => {
    const info = readForwarded(
      trusted,
      'for=198.51.100.1, for=203.0.113.9:8080;proto=https, for=10.0.0.2',
      undefined,
      undefined,
      undefined,
    );
    expect(info).toMatchObject({ address: '203.0.113.9', port: '8080' });
  });
});
