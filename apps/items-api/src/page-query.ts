/** `limit` when the query has none. */
export const DEFAULT_LIMIT = 50;
/** The largest `limit` accepted. */
export const MAX_LIMIT = 100;

/** A query parameter that is not what `GET /items` accepts; answered with 400. */
export class InvalidQueryError extends Error {
  override name = 'InvalidQueryError';
  /** Always 400. */
  readonly status = 400;
}

/** The page `GET /items` asks for. */
export interface PageQuery {
  limit: number;
  offset: number;
}

function wholeNumber(
  params: URLSearchParams,
  name: string,
  min: number,
  max: number,
  fallback: number,
): number {
  const values = params.getAll(name);
  if (values.length === 0) return fallback;
  if (values.length > 1)
    throw new InvalidQueryError(`"${name}" is given ${values.length} times; give it once`);
  const raw = values[0] ?? '';
  const value = /^\d{1,10}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(value >= min && value <= max)) {
    throw new InvalidQueryError(
      `"${name}" must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`,
    );
  }
  return value;
}

/**
 * Reads `limit` (1 to {@link MAX_LIMIT}, default {@link DEFAULT_LIMIT}) and
 * `offset` (0 or more, default 0) from a raw query string. Throws an
 * {@link InvalidQueryError} naming the parameter. Other parameters are ignored.
 */
export function parsePageQuery(queryString: string): PageQuery {
  // No query at all, the common case: the defaults, without parsing.
  if (queryString === '') return { limit: DEFAULT_LIMIT, offset: 0 };
  const params = new URLSearchParams(queryString);
  return {
    limit: wholeNumber(params, 'limit', 1, MAX_LIMIT, DEFAULT_LIMIT),
    offset: wholeNumber(params, 'offset', 0, 2_147_483_647, 0),
  };
}
