import { isFieldValue } from '@tsgi/spec';

/** A status line split into code and reason; `clean` when the reason is a valid field value. */
export interface ParsedStatus {
  readonly code: number;
  readonly reason: string;
  readonly clean: boolean;
}

/** How many distinct status lines one server keeps parsed. */
const CACHE_MAX = 256;
/** Longer status lines are parsed every time rather than kept. */
const CACHE_KEY_MAX = 64;

/**
 * Checks a `startResponse` status (`"NNN Reason"`, 200-599) and splits it; throws
 * a TypeError naming the problem. `checkReason` refuses control characters in the
 * reason phrase (when the sink does not).
 */
function parseStatus(status: string, checkReason: boolean): ParsedStatus {
  if (typeof status !== 'string' || status.length < 4 || status.charCodeAt(3) !== 32) {
    throw new TypeError(
      `startResponse: status must be "NNN Reason", got ${JSON.stringify(status)}`,
    );
  }
  const code = Number(status.slice(0, 3));
  if (!Number.isInteger(code) || code < 200 || code > 599) {
    throw new TypeError(
      `startResponse: status code must be 200-599, got ${JSON.stringify(status)}`,
    );
  }
  const reason = status.slice(4);
  const clean = isFieldValue(reason);
  if (checkReason && !clean) {
    throw new TypeError('startResponse: the reason phrase holds a control character');
  }
  return { code, reason, clean };
}

/**
 * One server's parsed status lines by their text: an app sends the same few
 * over and over. Bounded, and only lines that pass every check are kept, so a
 * kept one is good for any sink. The line parsed last is checked first, without
 * a map lookup (an app's constant `"200 OK"`).
 */
export class StatusCache {
  private readonly lines = new Map<string, ParsedStatus>();
  private lastLine: string | undefined;
  private lastParsed: ParsedStatus | undefined;

  /** `status` parsed (see `parseStatus`), from the cache when it is there. */
  parse(status: string, checkReason: boolean): ParsedStatus {
    if (status === this.lastLine) return this.lastParsed!;
    let parsed = this.lines.get(status);
    if (parsed === undefined) {
      parsed = parseStatus(status, checkReason);
      if (!parsed.clean) return parsed;
      if (status.length <= CACHE_KEY_MAX && this.lines.size < CACHE_MAX) {
        this.lines.set(status, parsed);
      }
    }
    this.lastLine = status;
    this.lastParsed = parsed;
    return parsed;
  }
}
