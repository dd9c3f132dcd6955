import { jsonString } from '@tsgi/spec';
import type { LogRequest } from '../contracts/access-log.js';

let isoMs = Number.NaN;
let isoText = '';

/** `new Date(ms).toISOString()`, made once per millisecond: a busy server logs many requests in each. */
function isoTime(ms: number): string {
  if (ms !== isoMs) {
    isoMs = ms;
    isoText = new Date(ms).toISOString();
  }
  return isoText;
}

/**
 * The JSON text of one string field, kept for the last value seen: the
 * peer, method, protocol and user agent of a request are most often those
 * of the request before it on the same connection.
 */
class JsonField {
  #last: string | undefined = undefined;
  #json = 'null';

  /** `JSON.stringify(value)`; `null` for `undefined`. */
  of(value: string | undefined): string {
    if (value !== this.#last) {
      this.#last = value;
      this.#json = value === undefined ? 'null' : jsonString(value);
    }
    return this.#json;
  }
}

const address = new JsonField();
const method = new JsonField();
const protocol = new JsonField();
const userAgent = new JsonField();

/**
 * `String(Math.round(ms * 1000) / 1000)`, the milliseconds to 3 decimals as
 * `JSON.stringify` writes that number, made from whole microseconds without
 * formatting a double (which costs several times as much).
 */
export function millis3(ms: number): string {
  const micros = Math.round(ms * 1000);
  if (!(micros > 0 && micros < 0x7fffffff)) {
    const value = micros / 1000;
    return Number.isFinite(value) ? String(value) : 'null';
  }
  const whole = (micros / 1000) | 0;
  const fraction = micros - whole * 1000;
  if (fraction === 0) return String(whole);
  if (fraction % 100 === 0) return `${whole}.${fraction / 100}`;
  if (fraction % 10 === 0) return `${whole}.${fraction < 100 ? '0' : ''}${fraction / 10}`;
  return `${whole}.${fraction < 10 ? '00' : fraction < 100 ? '0' : ''}${fraction}`;
}

/**
 * One JSON line (with a trailing newline): the text `JSON.stringify` makes of
 * `{ time, remote_addr, method, uri, protocol, status, bytes, duration_ms,
 * user_agent, drain }` (an undefined field left out, an empty method, URI or
 * protocol `null`), written field by field, which costs a fraction of
 * building and serialising the object. `now` is the wall clock in ms.
 */
export function jsonLine(
  environ: LogRequest,
  status: number,
  bytes: number,
  now: number,
  durationMs: number,
): string {
  const remote = environ.REMOTE_ADDR;
  const drain = environ.drain;
  const uri = environ.REQUEST_URI;
  return `{"time":"${isoTime(now)}"${remote === undefined ? '' : `,"remote_addr":${address.of(remote)}`},"method":${method.of(
    environ.REQUEST_METHOD || undefined,
  )},"uri":${uri ? jsonString(uri) : 'null'},"protocol":${protocol.of(
    environ.SERVER_PROTOCOL || undefined,
  )},"status":${status},"bytes":${bytes},"duration_ms":${millis3(durationMs)},"user_agent":${userAgent.of(
    environ.HTTP_USER_AGENT,
  )}${drain === undefined ? '' : `,"drain":${jsonString(drain)}`}}\n`;
}
