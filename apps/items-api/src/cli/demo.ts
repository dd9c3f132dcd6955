import { createClient, type TestResponse } from '@tsgi/test-client';

/** One call of the demo and the status it should get. */
interface Step {
  method: 'GET' | 'POST';
  path: string;
  json?: unknown;
  expect: number;
  /** Another status that is fine too, and why (printed with it). */
  alsoFine?: { status: number; why: string };
  /** Extra lines to print from the parsed body. */
  details?: (body: unknown) => string[];
}

const MAX_BODY = 160;

function shorten(text: string): string {
  const chars = [...text];
  return chars.length <= MAX_BODY ? text : `${chars.slice(0, MAX_BODY).join('')}…`;
}

/** `host`/`port` → a base URL, with IPv6 addresses in brackets. */
export function baseUrl(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * `--mode demo`: calls a running items-api over HTTP with @tsgi/test-client
 * and prints each call like the tutorial's sample output: ✅ when the status is
 * the expected one (a 404 for an unknown path is expected; `/environ` may be
 * a 404 where it is off) and the response
 * has `X-Process-Time`, ❌ otherwise. Resolves `true` when every call is ✅.
 */
export async function runDemo(
  base: string,
  write: (text: string) => void = (text) => process.stdout.write(text),
): Promise<boolean> {
  const client = createClient(base, { cookies: false });
  let created: number | undefined;
  const steps: Step[] = [
    { method: 'GET', path: '/health', expect: 200 },
    {
      method: 'GET',
      path: '/items',
      expect: 200,
      details: (body) => {
        const { items = [], total } = body as {
          items?: Array<{ id: number; name: string; stock: number }>;
          total?: number;
        };
        return [
          `${total} 条商品 (items)`,
          ...items.map((item) => `  [${item.id}] ${item.name} (库存: ${item.stock})`),
        ];
      },
    },
    { method: 'POST', path: '/items', json: { name: '无线鼠标', stock: 8 }, expect: 201 },
    { method: 'GET', path: '/items/:created', expect: 200 },
    { method: 'GET', path: '/items?limit=2&offset=1', expect: 200 },
    { method: 'POST', path: '/items', json: { name: '', stock: -1 }, expect: 400 },
    {
      method: 'GET',
      path: '/environ',
      expect: 200,
      alsoFine: { status: 404, why: '/environ is off on this server (ITEMS_ENVIRON)' },
      details: (body) => {
        const environ = (body as { environ?: Record<string, unknown> }).environ ?? {};
        const keys = [
          'REQUEST_METHOD',
          'PATH_INFO',
          'SERVER_NAME',
          'SERVER_PORT',
          'HTTP_HOST',
          'tsgi.url_scheme',
          'tsgi.multiprocess',
        ];
        return keys.map(
          (key) => `${key.padEnd(20)} = ${key in environ ? String(environ[key]) : 'N/A'}`,
        );
      },
    },
    { method: 'GET', path: '/notfound', expect: 404 },
  ];

  write(`\n=== items-api demo: ${base} ===\n\n`);
  let allGreen = true;
  for (const step of steps) {
    const path = step.path.replace(':created', String(created ?? 0));
    let response: TestResponse;
    let text: string;
    try {
      response =
        step.json === undefined
          ? await client.request(step.method, path)
          : await client.request(step.method, path, { json: step.json });
      text = await response.text();
    } catch (error) {
      allGreen = false;
      const reason =
        error instanceof Error
          ? error.cause instanceof Error
            ? error.cause.message
            : error.message
          : String(error);
      write(
        `❌ ${step.method} ${path}\n   cannot reach ${base}: ${reason}\n   (start the server first: items-api --mode server)\n\n`,
      );
      continue;
    }
    const processTime = response.headers.get('x-process-time');
    const other = step.alsoFine?.status === response.status ? step.alsoFine : undefined;
    const ok = (response.status === step.expect || other !== undefined) && processTime !== null;
    allGreen &&= ok;
    const note =
      other !== undefined
        ? ` (${other.why})`
        : step.expect >= 400
          ? ` (expected ${step.expect})`
          : '';
    const sent = step.json === undefined ? '' : ` ${JSON.stringify(step.json)}`;
    write(`${ok ? '✅' : '❌'} ${step.method} ${path}${sent}${note}\n`);
    write(`   HTTP ${response.status} → ${shorten(text)}\n`);
    write(`   X-Process-Time: ${processTime === null ? 'missing!' : `${processTime}ms`}\n`);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (step.method === 'POST' && response.status === 201) {
      created = (body as { item?: { id?: number } } | undefined)?.item?.id;
    }
    if (ok && other === undefined && step.details !== undefined && body !== undefined) {
      for (const line of step.details(body)) write(`   ${line}\n`);
    }
    write('\n');
  }
  write(
    allGreen
      ? 'All calls answered as expected.\n'
      : 'Some calls did not answer as expected (❌ above).\n',
  );
  return allGreen;
}
