import { MAX_STOCK } from './store/migrations.js';
import type { NewItem } from './store/store.js';

/** The longest item name accepted, in characters. */
export const MAX_NAME_LENGTH = 200;

/** A JSON body that is valid JSON but not a valid item; answered with 400. */
export class InvalidItemError extends Error {
  override name = 'InvalidItemError';
  /** Always 400. */
  readonly status = 400;
}

const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Whether `text` is well-formed UTF-16, i.e. has no lone surrogate and so has
 * a UTF-8 form (`String.prototype.isWellFormed`, ES2024, in every Node ≥ 20).
 */
const isWellFormed = (text: string): boolean =>
  (text as string & { isWellFormed(): boolean }).isWellFormed();

const describe = (value: unknown): string =>
  value === null
    ? 'null'
    : Array.isArray(value)
      ? 'an array'
      : `${typeof value} ${JSON.stringify(value)}`;

/**
 * Checks a parsed `POST /items` body: an object with a non-empty string `name`
 * (trimmed, at most {@link MAX_NAME_LENGTH} characters, no control characters,
 * no lone surrogates)
 * and an optional `stock`, a whole number from 0 to 2147483647 (default 0, as
 * in the tutorial). Other keys are ignored. Throws an {@link InvalidItemError} naming the problem.
 */
export function parseNewItem(body: unknown): NewItem {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new InvalidItemError(
      `request body must be a JSON object like {"name": "鼠标", "stock": 8}, got ${body === null ? 'null' : Array.isArray(body) ? 'an array' : typeof body}`,
    );
  }
  const { name, stock = 0 } = body as { name?: unknown; stock?: unknown };
  if (name === undefined) throw new InvalidItemError('"name" is missing');
  if (typeof name !== 'string') {
    throw new InvalidItemError(`"name" must be a string, got ${describe(name)}`);
  }
  // A lone surrogate ("\ud800" in JSON) has no UTF-8 form: SQLite would store
  // invalid UTF-8 and PostgreSQL U+FFFD, so the two stores would disagree.
  if (!isWellFormed(name)) {
    throw new InvalidItemError(
      `"name" must be valid Unicode text (no lone surrogates), got ${describe(name)}`,
    );
  }
  const trimmed = name.trim();
  if (trimmed === '') throw new InvalidItemError('"name" must not be empty');
  // One line of text: no C0 controls or DEL (PostgreSQL cannot even store U+0000).
  if (CONTROL.test(trimmed)) {
    throw new InvalidItemError(`"name" must not contain control characters, got ${describe(name)}`);
  }
  if ([...trimmed].length > MAX_NAME_LENGTH) {
    throw new InvalidItemError(`"name" must be at most ${MAX_NAME_LENGTH} characters`);
  }
  if (typeof stock !== 'number' || !Number.isInteger(stock) || stock < 0 || stock > MAX_STOCK) {
    throw new InvalidItemError(
      `"stock" must be a whole number from 0 to ${MAX_STOCK}, got ${describe(stock)}`,
    );
  }
  return { name: trimmed, stock };
}
