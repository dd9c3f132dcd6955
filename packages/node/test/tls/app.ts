import type { Application } from '@tsgi/spec';

/** An app answering with what it saw of TLS: `tsgi.url_scheme` and every `SSL_*` key, as JSON. */
export const tlsEcho: Application = (environ, startResponse) => {
  const seen: Record<string, unknown> = { scheme: environ['tsgi.url_scheme'] };
  for (const [key, value] of Object.entries(environ)) if (key.startsWith('SSL_')) seen[key] = value;
  const body = new TextEncoder().encode(JSON.stringify(seen));
  startResponse('200 OK', [
    ['Content-Type', 'application/json'],
    ['Content-Length', String(body.byteLength)],
  ]);
  return [body];
};
