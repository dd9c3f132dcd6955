import { describe, expect, test } from 'vitest';
import { type HeaderList, Headers } from '../src/index.ts';

describe('Headers', () => {
  test('a case-insensitive view that writes through to the list', () => {
    const list: HeaderList = [['Content-Type', 'text/plain']];
    const headers = new Headers(list);
    expect(headers.get('content-type')).toBe('text/plain');
    expect(headers.has('CONTENT-TYPE')).toBe(true);
    headers.append('X-A', '1');
    expect(list).toEqual([
      ['Content-Type', 'text/plain'],
      ['X-A', '1'],
    ]);
    expect(headers.toList()).toBe(list);
  });

  test('repeated Set-Cookie stay separate and in order', () => {
    const headers = new Headers();
    headers.append('Set-Cookie', 'a=1').append('X-B', 'b').append('set-cookie', 'b=2');
    expect(headers.getAll('SET-COOKIE')).toEqual(['a=1', 'b=2']);
    expect(headers.get('Set-Cookie')).toBe('a=1');
    expect([...headers]).toEqual([
      ['Set-Cookie', 'a=1'],
      ['X-B', 'b'],
      ['set-cookie', 'b=2'],
    ]);
  });

  test('set replaces in place and drops duplicates; delete removes all', () => {
    const headers = new Headers([
      ['A', '1'],
      ['x-dup', '1'],
      ['B', '2'],
      ['X-Dup', '2'],
    ]);
    headers.set('X-DUP', '3');
    expect(headers.toList()).toEqual([
      ['A', '1'],
      ['X-DUP', '3'],
      ['B', '2'],
    ]);
    headers.set('C', '4');
    expect(headers.get('c')).toBe('4');
    expect(headers.delete('a')).toBe(true);
    expect(headers.delete('a')).toBe(false);
    expect([...headers.entries()].map(([n]) => n)).toEqual(['X-DUP', 'B', 'C']);
  });

  test('setDefault keeps an existing value', () => {
    const headers = new Headers([['Cache-Control', 'no-store']]);
    expect(headers.setDefault('cache-control', 'max-age=60')).toBe('no-store');
    expect(headers.setDefault('ETag', '"x"')).toBe('"x"');
    expect(headers.getAll('etag')).toEqual(['"x"']);
  });

  test('appendToken on a copied list leaves the original entries alone', () => {
    // A middleware copies the app's list (it may be a shared constant) and merges into the copy.
    const shared: HeaderList = [['Vary', 'Accept-Encoding']];
    const copy = new Headers([...shared]).appendToken('Vary', 'Origin');
    expect(copy.get('vary')).toBe('Accept-Encoding, Origin');
    expect(shared).toEqual([['Vary', 'Accept-Encoding']]);
  });

  test('appendToken merges list headers such as Vary', () => {
    const headers = new Headers([['vary', 'Accept-Encoding']]);
    headers.appendToken('Vary', 'Origin');
    headers.appendToken('Vary', 'origin');
    expect(headers.toList()).toEqual([['vary', 'Accept-Encoding, Origin']]);
    const fresh = new Headers();
    fresh.appendToken('Vary', 'Origin');
    expect(fresh.toList()).toEqual([['Vary', 'Origin']]);
    const star = new Headers([['Vary', '*']]);
    star.appendToken('Vary', 'Origin');
    expect(star.get('vary')).toBe('*');
  });

  test('appendToken looks at every entry of a repeated list header', () => {
    const headers = new Headers([
      ['Vary', 'Accept'],
      ['Vary', 'Origin'],
    ]);
    headers.appendToken('Vary', 'Origin');
    expect(headers.toList()).toEqual([
      ['Vary', 'Accept'],
      ['Vary', 'Origin'],
    ]);
    headers.appendToken('Vary', 'Cookie');
    expect(headers.getAll('Vary')).toEqual(['Accept, Cookie', 'Origin']);
  });

  test('rejects header injection and bad names', () => {
    const headers = new Headers();
    expect(() => headers.append('X-A', 'a\r\nSet-Cookie: x=1')).toThrow(TypeError);
    expect(() => headers.set('Bad Name', 'x')).toThrow(/invalid header name/);
    expect(() => headers.appendToken('Vary', ' Origin')).toThrow(TypeError);
    expect(() => headers.set('Location', '/商店')).toThrow(/invalid value for header Location/);
    expect(headers.toList()).toEqual([]);
  });
});
