import type { Environ } from '@tsgi/spec';
import type { OriginOption } from './options.js';

/**
 * What to send as `Access-Control-Allow-Origin` for a request's `Origin`:
 * the value, or `undefined` when the origin is not allowed.
 */
export type OriginPolicy = (
  origin: string,
  environ: Environ,
) => string | undefined | Promise<string | undefined>;

/** A serialized origin as browsers send it (`scheme://host[:port]`), or `null`. */
const SERIALIZED_ORIGIN = /^(?:null|[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^\s/?#,]+)$/;

function checkOriginString(value: string): string {
  if (value === 'null') return value;
  let serialized: string;
  try {
    serialized = new URL(value).origin;
  } catch {
    throw new TypeError(`cors: "origin" entry ${JSON.stringify(value)} is not an origin`);
  }
  if (serialized === 'null' || serialized !== value) {
    throw new TypeError(
      `cors: "origin" entry ${JSON.stringify(value)} is not a serialized origin` +
        (serialized !== 'null' ? `; did you mean ${JSON.stringify(serialized)}?` : ''),
    );
  }
  return value;
}

/** A RegExp without the `g`/`y` flags, whose `lastIndex` would make `test()` stateful. */
function statelessRegExp(re: RegExp): RegExp {
  return re.global || re.sticky ? new RegExp(re.source, re.flags.replace(/[gy]/g, '')) : re;
}

/**
 * Turns the `origin` option into a policy, checking it once, up front.
 * The `null` origin is allowed only by `'*'` without credentials, by the
 * string `'null'` (alone or in a list), or by a function that says so.
 */
export function originPolicy(option: OriginOption, credentials: boolean): OriginPolicy {
  if (option === '*') {
    if (!credentials) return () => '*';
    // Any origin, reflected; never `*` with credentials, and never the opaque origin.
    return (origin) => (origin !== 'null' && SERIALIZED_ORIGIN.test(origin) ? origin : undefined);
  }
  if (typeof option === 'string') {
    const allowed = checkOriginString(option);
    return (origin) => (origin === allowed ? origin : undefined);
  }
  if (option instanceof RegExp) {
    const re = statelessRegExp(option);
    return (origin) => (origin !== 'null' && re.test(origin) ? origin : undefined);
  }
  if (Array.isArray(option)) {
    const exact = new Set<string>();
    const patterns: RegExp[] = [];
    for (const entry of option) {
      if (entry instanceof RegExp) patterns.push(statelessRegExp(entry));
      else if (entry === '*') {
        throw new TypeError(`cors: "origin" list cannot contain '*'; use origin: '*' instead`);
      } else if (typeof entry === 'string') exact.add(checkOriginString(entry));
      else throw new TypeError(`cors: "origin" list entries must be strings or RegExps`);
    }
    return (origin) => {
      if (exact.has(origin)) return origin;
      if (origin === 'null') return undefined;
      for (const re of patterns) if (re.test(origin)) return origin;
      return undefined;
    };
  }
  if (typeof option === 'function') {
    const decide = (origin: string, answer: unknown): string | undefined => {
      if (answer === true || answer === origin) return origin;
      if (answer === '*') return !credentials ? '*' : origin === 'null' ? undefined : origin;
      return undefined;
    };
    return (origin, environ) => {
      if (!SERIALIZED_ORIGIN.test(origin)) return undefined;
      const answer = option(origin, environ);
      if (answer !== null && typeof answer === 'object' && typeof answer.then === 'function') {
        return answer.then((value) => decide(origin, value));
      }
      return decide(origin, answer);
    };
  }
  throw new TypeError(
    'cors: "origin" must be \'*\', an origin string, a RegExp, an array of those, or a function',
  );
}
