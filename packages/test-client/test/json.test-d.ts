/**
 * Types of `TestResponse.json()`: `unknown` by default, the type argument when
 * given. Checked by vitest's typecheck mode (vitest.config.ts), so `pnpm test`
 * fails when the type parameter goes.
 */
import { jsonResponse } from '@tsgi/spec';
import { describe, expectTypeOf, test } from 'vitest';
import { createClient, type TestResponse } from '../src/index.ts';

interface Item {
  id: number;
  name: string;
}

describe('TestResponse.json()', () => {
  test('is Promise<unknown> without a type argument', () => {
    expectTypeOf<TestResponse['json']>().returns.toEqualTypeOf<Promise<unknown>>();
  });

  test('is Promise<T> for json<T>(), with no cast in a strict test', async () => {
    const client = createClient((_environ, startResponse) =>
      jsonResponse(startResponse, 200, { id: 1, name: 'pear' }),
    );
    const response = await client.get('/items/1');
    expectTypeOf(response.json<Item>()).toEqualTypeOf<Promise<Item>>();
    expectTypeOf(response.json<Item[]>).returns.resolves.items.toHaveProperty('name');
  });
});
