import { params } from '@tsgi/router';
import { type Application, jsonResponse, RequestBodyError, readJson } from '@tsgi/spec';
import { InvalidItemError, parseNewItem } from '../item-input.js';
import { InvalidQueryError, parsePageQuery } from '../page-query.js';
import {
  IDEMPOTENCY_TTL_MS,
  InvalidIdempotencyKeyError,
  parseIdempotencyKey,
} from '../store/idempotency.js';
import type { Item, ItemPage, ItemStore } from '../store/store.js';

/** The largest `POST /items` body accepted: 16 KiB, plenty for a name and a number. */
export const ITEM_BODY_LIMIT = 16 * 1024;

/** The views of `/items` and `/items/:id` over one store. */
export interface ItemViews {
  /** `GET /items?limit=&offset=` → `{"items": [...], "total": N}`. */
  list: Application;
  /**
   * `POST /items` `{"name", "stock"}` → 201 `{"item": {...}}`; with an
   * `Idempotency-Key`, once per key (a retry gets the first 201, with
   * `Idempotent-Replayed: true`; 422 for another body, 409 while it runs).
   */
  create: Application;
  /** `GET /items/:id` → `{"item": {...}}` or 404. */
  show: Application;
}

const ID = /^[1-9][0-9]{0,9}$/;
const MAX_ID = 2_147_483_647;

/**
 * Builds the item views over `store`. Bad input is answered here with a JSON
 * `{"error": …}` naming the problem: 400 (invalid JSON, name, stock, limit or
 * offset), 413 (body over {@link ITEM_BODY_LIMIT}), 415 (not `application/json`).
 */
export function itemViews(store: ItemStore): ItemViews {
  // `list` and `show` are not async functions: over a synchronous store
  // (SQLite) they answer with no promise per request.
  const list: Application = (environ, startResponse) => {
    let page: ReturnType<typeof parsePageQuery>;
    try {
      page = parsePageQuery(environ.QUERY_STRING);
    } catch (error) {
      if (error instanceof InvalidQueryError) {
        return jsonResponse(startResponse, error.status, { error: error.message });
      }
      throw error;
    }
    const result = store.list(page.limit, page.offset);
    if (result instanceof Promise) {
      return result.then(({ items, total }: ItemPage) =>
        jsonResponse(startResponse, 200, { items, total }),
      );
    }
    return jsonResponse(startResponse, 200, { items: result.items, total: result.total });
  };

  const create: Application = async (environ, startResponse) => {
    let key: string | undefined;
    let body: unknown;
    try {
      key = parseIdempotencyKey(environ.HTTP_IDEMPOTENCY_KEY);
      body = await readJson(environ, { limit: ITEM_BODY_LIMIT, contentType: true });
    } catch (error) {
      if (error instanceof RequestBodyError || error instanceof InvalidIdempotencyKeyError) {
        return jsonResponse(startResponse, error.status, { error: error.message });
      }
      throw error;
    }
    let item: ReturnType<typeof parseNewItem>;
    try {
      item = parseNewItem(body);
    } catch (error) {
      if (error instanceof InvalidItemError) {
        return jsonResponse(startResponse, error.status, { error: error.message });
      }
      throw error;
    }
    // SCRIPT_NAME is decoded text: percent-encode it again for the header (non-ASCII, spaces, `?`).
    const base = environ.SCRIPT_NAME.split('/').map(encodeURIComponent).join('/');
    const createdResponse = (created: Item, replayed: boolean) => {
      const location = `${base}/items/${created.id}`;
      return jsonResponse(
        startResponse,
        201,
        { item: created },
        replayed
          ? [
              ['Location', location],
              ['Idempotent-Replayed', 'true'],
            ]
          : [['Location', location]],
      );
    };
    if (key === undefined) return createdResponse(await store.create(item), false);
    const result = await store.createOnce(key, item, IDEMPOTENCY_TTL_MS);
    if (result.outcome === 'mismatch') {
      return jsonResponse(startResponse, 422, {
        error: `Idempotency-Key ${JSON.stringify(key)} was already used with a different body`,
      });
    }
    if (result.outcome !== 'created' && result.outcome !== 'replayed') {
      return jsonResponse(
        startResponse,
        409,
        { error: `a request with Idempotency-Key ${JSON.stringify(key)} is still in progress` },
        [['Retry-After', '1']],
      );
    }
    return createdResponse(result.item, result.outcome !== 'created');
  };

  const show: Application = (environ, startResponse) => {
    const id = params(environ).id ?? '';
    const answer = (found: Item | undefined) =>
      found === undefined
        ? jsonResponse(startResponse, 404, { error: `商品 ${id} 不存在` })
        : jsonResponse(startResponse, 200, { item: found });
    // Ids are positive 32-bit integers in both databases; anything else names no item.
    if (!ID.test(id) || Number(id) > MAX_ID) return answer(undefined);
    const found = store.get(Number(id));
    return found instanceof Promise ? found.then(answer) : answer(found);
  };

  return { list, create, show };
}
