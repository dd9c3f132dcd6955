import { type ParsedStatus, parseStatus } from '@tsgi/spec';

export type { ParsedStatus };

/** How many distinct status lines one server keeps parsed. */
const CACHE_MAX = 256;
/** Longer status lines are parsed every time rather than kept. */
const CACHE_KEY_MAX = 64;

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
