// deno run --allow-net --allow-env=PORT examples/deno-echo.ts
import { toFetchHandler } from '@tsgi/fetch';
import { echo } from './echo.ts';

Deno.serve(
  { hostname: '127.0.0.1', port: Number(Deno.env.get('PORT') ?? 8000) },
  toFetchHandler(echo),
);
