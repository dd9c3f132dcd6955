import type { NewItem } from './store.js';

/**
 * How long a stored `Idempotency-Key` answer is kept: 24 hours, as Stripe does.
 * A retry within it gets the first answer; after it, the key is free again.
 */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/** The longest key accepted, in characters (Stripe's limit). */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/**
 * An `Idempotency-Key` header that is empty, too long, not printable ASCII,
 * contains a comma or is repeated; answered with 400.
 */
export class InvalidIdempotencyKeyError extends Error {
  override name = 'InvalidIdempotencyKeyError';
  /** Always 400. */
  readonly status = 400;
}

const PRINTABLE = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;

/**
 * Reads an `Idempotency-Key` header value: `undefined` when absent, else the
 * key, 1 to {@link MAX_IDEMPOTENCY_KEY_LENGTH} printable ASCII characters
 * other than `,` (a UUID is the usual choice). Throws an
 * {@link InvalidIdempotencyKeyError} otherwise. The environ joins a repeated
 * header with `", "`, so refusing commas refuses a repeated key too, rather
 * than taking `"abc, def"` for one key.
 */
export function parseIdempotencyKey(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const key = String(value).trim();
  if (key === '') throw new InvalidIdempotencyKeyError('"Idempotency-Key" must not be empty');
  if (key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    throw new InvalidIdempotencyKeyError(
      `"Idempotency-Key" must be at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters, got ${key.length}`,
    );
  }
  if (!PRINTABLE.test(key)) {
    throw new InvalidIdempotencyKeyError(
      `"Idempotency-Key" must be printable ASCII (a UUID, say), got ${JSON.stringify(key)}`,
    );
  }
  if (key.includes(',')) {
    throw new InvalidIdempotencyKeyError(
      `"Idempotency-Key" must be sent once and must not contain "," (repeated headers arrive joined with ", "), got ${JSON.stringify(key)}`,
    );
  }
  return key;
}

/**
 * What a key is bound to: the item the body describes, after trimming and the
 * default stock, so a retry of the same body always matches.
 */
export const fingerprint = (item: NewItem): string => JSON.stringify([item.name, item.stock]);
