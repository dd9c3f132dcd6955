import { createClient } from '@tsgi/test-client';
import { expect, test } from 'vitest';
import { application } from '../src/app.ts';

test('GET / answers JSON, with CORS and timing headers', async () => {
  const client = createClient(application);
  const response = await client.get('/', { headers: { Origin: 'https://example.com' } });
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ message: 'Hello from {{name}}' });
  expect(response.headers.get('access-control-allow-origin')).toBe('*');
  expect(response.headers.get('x-process-time')).toMatch(/^\d/);
});

test('an unknown path gets a JSON 404', async () => {
  const response = await createClient(application).get('/nope');
  expect(response.status).toBe(404);
  expect(await response.json()).toEqual({ error: 'no route for GET /nope' });
});
