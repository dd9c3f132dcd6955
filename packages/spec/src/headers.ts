import { appendToken } from './append-token.js';
import type { HeaderList } from './application.js';
import { ABOVE_LATIN1, CONTROL_EXCEPT_TAB, TOKEN } from './grammar.js';

function checkName(name: string): string {
  if (!TOKEN.test(name)) throw new TypeError(`invalid header name ${JSON.stringify(name)}`);
  return name.toLowerCase();
}

function checkValue(name: string, value: string): string {
  if (CONTROL_EXCEPT_TAB.test(value) || ABOVE_LATIN1.test(value) || /^[ \t]|[ \t]$/.test(value)) {
    throw new TypeError(`invalid value for header ${name}: ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * A case-insensitive view over a {@link HeaderList}, like `wsgiref.headers.Headers`.
 * Changes go straight into the list it wraps, so you can build the list with
 * `Headers` and pass `headers.toList()` (the same array) to `startResponse`.
 * Order is kept and repeated headers (`Set-Cookie`) stay separate entries.
 * Names and values are checked as SPEC.md rules sr.4 and sr.5 require, so a
 * CR/LF injection throws a `TypeError` instead of reaching the wire.
 *
 * @example
 * const headers = new Headers([['Content-Type', 'text/plain']]);
 * headers.append('Set-Cookie', 'a=1');
 * headers.append('Set-Cookie', 'b=2');
 * headers.appendToken('Vary', 'Origin'); // merges into an existing Vary
 * startResponse('200 OK', headers.toList());
 */
export class Headers implements Iterable<[string, string]> {
  readonly #list: HeaderList;

  /** Wraps `list` (not a copy); an empty list when omitted. */
  constructor(list: HeaderList = []) {
    this.#list = list;
  }

  /** The first value of `name`, or `undefined`. */
  get(name: string): string | undefined {
    const lower = name.toLowerCase();
    return this.#list.find(([n]) => n.toLowerCase() === lower)?.[1];
  }

  /** Every value of `name`, in order. */
  getAll(name: string): string[] {
    const lower = name.toLowerCase();
    return this.#list.filter(([n]) => n.toLowerCase() === lower).map(([, v]) => v);
  }

  /** Whether `name` is present. */
  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /**
   * Sets `name` to `value`: replaces the first entry in place (keeping its
   * position) and removes any others, or appends when there is none.
   */
  set(name: string, value: string): this {
    const lower = checkName(name);
    checkValue(name, value);
    const first = this.#list.findIndex(([n]) => n.toLowerCase() === lower);
    if (first === -1) {
      this.#list.push([name, value]);
      return this;
    }
    this.#list[first] = [name, value];
    for (let i = this.#list.length - 1; i > first; i--) {
      if (this.#list[i]![0].toLowerCase() === lower) this.#list.splice(i, 1);
    }
    return this;
  }

  /** Adds an entry at the end, even when `name` is already present. */
  append(name: string, value: string): this {
    checkName(name);
    this.#list.push([name, checkValue(name, value)]);
    return this;
  }

  /** Sets `name` only when it is absent; returns the value now in effect. */
  setDefault(name: string, value: string): string {
    const current = this.get(name);
    if (current !== undefined) return current;
    this.append(name, value);
    return value;
  }

  /**
   * Adds `token` to a comma-separated list header such as `Vary`,
   * `Cache-Control` or `Access-Control-Expose-Headers`: nothing when any entry
   * of `name` already lists the token, or `*` (compared case-insensitively,
   * by the name before any `;`);
   * otherwise appended to the first entry's value, or a new entry when the
   * header is absent.
   */
  appendToken(name: string, token: string): this {
    checkName(name);
    checkValue(name, token);
    appendToken(this.#list, name, token);
    return this;
  }

  /** Removes every entry of `name`; returns whether there was one. */
  delete(name: string): boolean {
    const lower = name.toLowerCase();
    const before = this.#list.length;
    for (let i = this.#list.length - 1; i >= 0; i--) {
      if (this.#list[i]![0].toLowerCase() === lower) this.#list.splice(i, 1);
    }
    return this.#list.length !== before;
  }

  /** The `[name, value]` entries in order, names as they were given. */
  entries(): IterableIterator<[string, string]> {
    return this.#list[Symbol.iterator]();
  }

  /** Same as {@link entries}. */
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }

  /** The underlying list (the same array), ready for `startResponse`. */
  toList(): HeaderList {
    return this.#list;
  }
}
