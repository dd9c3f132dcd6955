import { type Application, jsonResponse } from '@tsgi/spec';
import type { ItemStore } from '../store/store.js';

/**
 * `GET /health` → `{"status": "ok", "server", "node", "database", "pid", "time"}`:
 * the tutorial's health check plus the database it reached and the process
 * (worker) that answered. When the database does
 * not answer: 503 with `"status": "error"` and a fixed reason, so a load balancer
 * takes the instance out; the driver's own message (which may name hosts and
 * ports) goes to `tsgi.errors`, never to the public response.
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
      const detail = error instanceof Error ? error.message : String(error);
      environ['tsgi.errors'].write(`health: ${store.kind} database unreachable: ${detail}\n`);
      return jsonResponse(startResponse, 503, {
        status: 'error',
        ...base,
        error: 'database unreachable',
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
