import { type Application, jsonResponse } from '@tsgi/spec';
import { isRedacted } from './environ-redaction.js';

/**
 * `GET /environ` → `{"environ": {...}}`: the environ's string, number and
 * boolean values, as the tutorial's `view_environ` shows them (streams,
 * objects and arrays such as `tsgi.version` are left out). Credentials and
 * unknown gateway variables show as `"[redacted]"` (see `isRedacted`). The app
 * serves it only where `environEnabled` says so.
 */
export const environView: Application = (environ, startResponse) => {
  const shown: Record<string, string | number | boolean> = {};
  for (const key of Object.keys(environ).sort()) {
    const value = environ[key];
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      shown[key] = isRedacted(key) ? '[redacted]' : value;
    }
  }
  return jsonResponse(startResponse, 200, { environ: shown });
};
