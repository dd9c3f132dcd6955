import type { Origin } from './request-target.js';

/** One stored cookie. */
export interface Cookie {
  name: string;
  value: string;
  /** The domain it is sent to (lower-case, no leading dot). */
  domain: string;
  /** `true` when `Set-Cookie` had no `Domain`: sent to exactly that host only. */
  hostOnly: boolean;
  path: string;
  /** Expiry as a epoch-milliseconds timestamp; `undefined` for a session cookie. */
  expires: number | undefined;
  secure: boolean;
  httpOnly: boolean;
  sameSite: string | undefined;
}

function defaultPath(requestPath: string): string {
  if (!requestPath.startsWith('/')) return '/';
  const slash = requestPath.lastIndexOf('/');
  return slash <= 0 ? '/' : requestPath.slice(0, slash);
}

function domainMatches(host: string, domain: string): boolean {
  return host === domain || (host.endsWith(`.${domain}`) && !/^[\d.]+$|^\[/.test(host));
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}

/** Like browsers, loopback hosts count as secure, so `Secure` cookies work in local tests. */
function isSecure(origin: Origin): boolean {
  return (
    origin.scheme === 'https' ||
    origin.hostname === 'localhost' ||
    origin.hostname === '127.0.0.1' ||
    origin.hostname === '[::1]'
  );
}

function pathOf(target: string): string {
  const q = target.indexOf('?');
  return q === -1 ? target : target.slice(0, q);
}

/**
 * A small RFC 6265 cookie jar, one per client: `Domain` (host-only or
 * domain-wide), `Path`, `Expires`/`Max-Age`, `Secure` (https, or a loopback host). It keeps `HttpOnly` and
 * `SameSite` for inspection but, as a test tool, does not act on them.
 */
export class CookieJar {
  #cookies: Cookie[] = [];
  #origin: Origin;

  /** `origin` is where cookies set by hand with {@link CookieJar.set} seem to come from. */
  constructor(origin: Origin) {
    this.#origin = origin;
  }

  /** Stores the cookies of `Set-Cookie` header values received from `origin` for `target`. */
  store(origin: Origin, target: string, setCookies: readonly string[], now = Date.now()): void {
    for (const header of setCookies) this.#storeOne(origin, target, header, now);
  }

  /** The `Cookie` header value for a request, or `undefined` when no cookie applies. */
  header(origin: Origin, target: string, now = Date.now()): string | undefined {
    if (this.#cookies.length === 0) return undefined;
    this.#evict(now);
    const host = origin.hostname.toLowerCase();
    const path = pathOf(target);
    const matching = this.#cookies.filter(
      (c) =>
        (c.hostOnly ? host === c.domain : domainMatches(host, c.domain)) &&
        pathMatches(path, c.path) &&
        (!c.secure || isSecure(origin)),
    );
    if (matching.length === 0) return undefined;
    // Longer paths first; otherwise in the order they were stored (the sort is stable).
    matching.sort((a, b) => b.path.length - a.path.length);
    return matching.map((c) => `${c.name}=${c.value}`).join('; ');
  }

  /** Every live cookie, in the order stored. */
  all(now = Date.now()): Cookie[] {
    this.#evict(now);
    return this.#cookies.slice();
  }

  /** The value of the first live cookie with this name, whatever its domain and path. */
  get(name: string, now = Date.now()): string | undefined {
    this.#evict(now);
    return this.#cookies.find((c) => c.name === name)?.value;
  }

  /**
   * Sets a cookie by hand, as if the client's base URL had answered
   * `Set-Cookie: name=value; attributes` (e.g. `"Path=/admin; Max-Age=60"`).
   */
  set(name: string, value: string, attributes = ''): void {
    this.#storeOne(
      this.#origin,
      '/',
      `${name}=${value}${attributes ? `; ${attributes}` : ''}`,
      Date.now(),
    );
  }

  /** Removes cookies: all of them, or those with this name. */
  clear(name?: string): void {
    this.#cookies = name === undefined ? [] : this.#cookies.filter((c) => c.name !== name);
  }

  #evict(now: number): void {
    if (this.#cookies.some((c) => c.expires !== undefined && c.expires <= now)) {
      this.#cookies = this.#cookies.filter((c) => c.expires === undefined || c.expires > now);
    }
  }

  #storeOne(origin: Origin, target: string, header: string, now: number): void {
    const [pair = '', ...attributes] = header.split(';');
    const eq = pair.indexOf('=');
    if (eq === -1) return;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    if (name === '') return;
    const host = origin.hostname.toLowerCase();
    const cookie: Cookie = {
      name,
      value,
      domain: host,
      hostOnly: true,
      path: defaultPath(pathOf(target)),
      expires: undefined,
      secure: false,
      httpOnly: false,
      sameSite: undefined,
    };
    let maxAgeSeen = false;
    for (const attribute of attributes) {
      const at = attribute.indexOf('=');
      const key = (at === -1 ? attribute : attribute.slice(0, at)).trim().toLowerCase();
      const val = at === -1 ? '' : attribute.slice(at + 1).trim();
      if (key === 'max-age') {
        if (!/^-?\d+$/.test(val)) continue;
        maxAgeSeen = true;
        const seconds = Number(val);
        cookie.expires = seconds <= 0 ? 0 : now + seconds * 1000;
      } else if (key === 'expires') {
        if (maxAgeSeen) continue;
        const time = Date.parse(val);
        if (!Number.isNaN(time)) cookie.expires = time;
      } else if (key === 'domain') {
        const domain = val.replace(/^\./, '').toLowerCase();
        if (domain === '') continue;
        // A host may only set cookies for itself or a parent domain.
        if (!domainMatches(host, domain)) return;
        cookie.domain = domain;
        cookie.hostOnly = false;
      } else if (key === 'path') {
        if (val.startsWith('/')) cookie.path = val;
      } else if (key === 'secure') {
        cookie.secure = true;
      } else if (key === 'httponly') {
        cookie.httpOnly = true;
      } else if (key === 'samesite') {
        cookie.sameSite = val;
      }
    }
    if (cookie.secure && !isSecure(origin)) return;
    const existing = this.#cookies.findIndex(
      (c) => c.name === name && c.domain === cookie.domain && c.path === cookie.path,
    );
    const expired = cookie.expires !== undefined && cookie.expires <= now;
    if (existing !== -1) {
      if (expired) this.#cookies.splice(existing, 1);
      else this.#cookies[existing] = cookie;
    } else if (!expired) {
      this.#cookies.push(cookie);
    }
  }
}
