import type { Application, HeaderList } from '@tsgi/spec';
import { jsonResponse } from '@tsgi/spec';

/** An app that records every request it sees and answers JSON with `extraHeaders`. */
export function recordingApp(extraHeaders: HeaderList = []): Application & { seen: string[] } {
  const seen: string[] = [];
  const app = ((environ, startResponse) => {
    seen.push(`${environ.REQUEST_METHOD} ${environ.PATH_INFO}`);
    return jsonResponse(startResponse, 200, { ok: true }, extraHeaders);
  }) as Application & { seen: string[] };
  app.seen = seen;
  return app;
}

/** The response's header names that start with `access-control-`, lower-cased and sorted. */
export function corsHeaderNames(headers: HeaderList): string[] {
  return headers
    .map(([name]) => name.toLowerCase())
    .filter((name) => name.startsWith('access-control-'))
    .sort();
}

/** Every value of a header in a raw list, case-insensitively. */
export function values(headers: HeaderList, name: string): string[] {
  return headers.filter(([n]) => n.toLowerCase() === name.toLowerCase()).map(([, v]) => v);
}
