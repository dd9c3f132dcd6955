import { serve, type TsgiServer } from '@tsgi/node';
import { createApp } from '../../src/app.js';
import type { ItemStore } from '../../src/store/store.js';

/**
 * The items app on `store`, validated and quiet, served by @tsgi/node on a
 * free loopback port; `errors` receives what the server reports (dropped by default).
 */
export async function serveApp(
  store: ItemStore,
  errors: { write(text: string): boolean } = { write: () => true },
): Promise<{ server: TsgiServer; port: number }> {
  const server = await serve(createApp({ store, validate: true, log: false }), {
    host: '127.0.0.1',
    port: 0,
    errors,
  });
  return { server, port: server.address.port ?? 0 };
}
