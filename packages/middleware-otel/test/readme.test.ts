// The README's opening example, run as written: on a free port, with the
// ConsoleSpanExporter's output (console.dir) captured instead of printed.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { context, propagation, trace } from '@opentelemetry/api';
import type { TsgiServer } from '@tsgi/node';
import { afterAll, expect, it } from 'vitest';
import { BOUNDS, bound, guarded, until } from '../../../tools/test-support/index.ts';
import { PARENT_SPAN_ID, TRACEPARENT } from './tracing.ts';

// Under the package's node_modules (git-ignored), so the example's imports resolve as in an app.
const PACKAGE = fileURLToPath(new URL('../', import.meta.url));
const dir = mkdtempSync(join(PACKAGE, 'node_modules', '.readme-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  trace.disable();
  propagation.disable();
  context.disable();
});

it('runs the example the README opens with', async () => {
  const readme = readFileSync(join(PACKAGE, 'README.md'), 'utf8');
  const example = /```ts\n([\s\S]*?)```/.exec(readme)![1]!;
  expect(example).toContain('port: 8003');
  const file = join(dir, 'example.ts');
  writeFileSync(file, `${example.replace('port: 8003', 'port: 0')}\nexport { server };\n`);
  const printed: Array<Record<string, unknown>> = [];
  const original = console.dir;
  console.dir = (value: unknown) => void printed.push(value as Record<string, unknown>);
  try {
    const { server } = (await import(/* @vite-ignore */ file)) as { server: TsgiServer };
    await guarded(
      async () => {
        const res = await fetch(`${server.address.url}/items/7`, {
          headers: { traceparent: TRACEPARENT },
          signal: AbortSignal.timeout(bound(BOUNDS.short)),
        });
        expect(await res.json()).toEqual({ id: '7' });
        await until(() => printed.length > 0, { what: 'the console exporter to print a span' });
        expect(printed[0]).toMatchObject({
          name: 'GET /items/:id',
          kind: 1,
          parentSpanContext: { spanId: PARENT_SPAN_ID },
          attributes: {
            'http.route': '/items/:id',
            'http.response.status_code': 200,
            'url.path': '/items/7',
          },
        });
      },
      () => server.close({ timeout: bound(BOUNDS.short) }),
    );
  } finally {
    console.dir = original;
  }
});
