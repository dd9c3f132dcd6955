const ZEROS = ['', '0', '00', '000', '0000', '00000', '000000'];
const SCALES = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000];
/** `"00"` to `"99"`: the fraction at the default two digits, without a number-to-string conversion. */
const HUNDREDTHS = Array.from({ length: 100 }, (_, i) => (i < 10 ? `0${i}` : String(i)));

/**
 * Milliseconds as a plain decimal with exactly `digits` (0–6) digits after the
 * point, rounded half up: `formatMs(0.1234, 2)` is `"0.12"`. The same text as
 * `toFixed(digits)` for the non-negative durations timed here, without its cost.
 */
export function formatMs(ms: number, digits: number): string {
  const scale = SCALES[digits]!;
  const scaled = Math.round(ms * scale);
  if (digits === 0) return String(scaled);
  const whole = Math.floor(scaled / scale);
  if (digits === 2) return `${whole}.${HUNDREDTHS[scaled - whole * 100]}`;
  const fraction = String(scaled - whole * scale);
  return `${whole}.${ZEROS[digits - fraction.length]}${fraction}`;
}
