import { type Application, jsonResponse } from '@tsgi/spec';

/** Request headers whose values `/environ` never shows. */
const SECRET_KEYS = new Set(['HTTP_AUTHORIZATION', 'HTTP_PROXY_AUTHORIZATION', 'HTTP_COOKIE']);

/**
 * `GET /environ` → `{"environ": {...}}`: the environ's string, number and
 * boolean values, as the tutorial's `view_environ` shows them (streams,
 * objects and arrays such as `tsgi.version` are left out). Credentials
 * (`Authorization`, `Proxy-Authorization`, `Cookie`) show as `"[redacted]"`.
 */
export const environView: Application = (environ, startResponse) => {
  const shown: Record<string, string | number | boolean> = {};
  for (const key of Object.keys(environ).sort()) {
    const value = environ[key];
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      shown[key] = SECRET_KEYS.has(key) ? '[redacted]' : value;
    }
  }
  return jsonResponse(startResponse, 200, { environ: shown });
};
