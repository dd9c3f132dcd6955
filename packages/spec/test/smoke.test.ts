import { validate } from '@tsgi/spec';
import { expect, test } from 'vitest';
import { makeEnviron, respond, serve, textApp } from './harness.ts';

test('smoke', async () => {
  const r = await serve(validate(textApp('hello')));
  expect(r.text).toBe('hello');
  await expect(serve(validate(respond('200 OK', [['Connection', 'close']])))).rejects.toMatchObject(
    { rule: 'sr.6' },
  );
  await expect(
    serve(validate(textApp()), makeEnviron({ SCRIPT_NAME: '/a/' })),
  ).rejects.toMatchObject({ rule: 'env.5' });
});
