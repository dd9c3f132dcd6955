import type { Application, Environ, HeaderList } from '@tsgi/spec';
import { jsonResponse } from '@tsgi/spec';

/** An app that answers with the id it saw in the environ, and records every environ. */
export function echoApp(): Application & { seen: Environ[] } {
  const seen: Environ[] = [];
  const app = ((environ, startResponse) => {
    seen.push(environ);
    return jsonResponse(startResponse, 200, { id: environ['tsgi.request_id'] ?? null });
  }) as Application & { seen: Environ[] };
  app.seen = seen;
  return app;
}

/** An app that sends the header list it was given, as is (a shared constant). */
export function fixedHeadersApp(headers: HeaderList): Application {
  return (_environ, startResponse) => {
    startResponse('200 OK', headers);
    return [new TextEncoder().encode('ok')];
  };
}

/** The values of every response header called `name`, in any letter case. */
export function values(headerList: HeaderList, name: string): string[] {
  const lower = name.toLowerCase();
  return headerList.filter(([n]) => n.toLowerCase() === lower).map(([, v]) => v);
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
