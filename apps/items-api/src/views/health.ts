import { type Application, jsonResponse } from '@tsgi/spec';
import type { ItemStore } from '../store/store.js';

/**
 * `GET /health` → `{"status": "ok", "server", "node", "database", "pid", "time"}`:
 * the tutorial's health check plus the database it reached and the process
 * (worker) that answered. When the database does
 * not answer: 503 with `"status": "error"` and the reason, so a load balancer
 * takes the instance out.
 */
export function healthView(store: ItemStore): Application {
  return async (environ, startResponse) => {
    const base = {
      server: typeof environ.SERVER_SOFTWARE === 'string' ? environ.SERVER_SOFTWARE : 'tsgi',
      node: process.versions.node,
      database: store.kind,
      pid: process.pid,
    };
    try {
      await store.ping();
    } catch (error) {
      return jsonResponse(startResponse, 503, {
        status: 'error',
        ...base,
        error: `database unreachable: ${error instanceof Error ? error.message : String(error)}`,
        time: new Date().toISOString(),
      });
    }
    return jsonResponse(startResponse, 200, {
      status: 'ok',
      ...base,
      time: new Date().toISOString(),
    });
  };
}
