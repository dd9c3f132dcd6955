import { createListener, type Listener } from '../listener/listener.js';
import { metricsApplication } from '../metrics/application.js';
import type { MetricsSource } from '../metrics/view.js';
import { metricsListenOptions } from './metrics-address.js';

/** True when the CLI's `metrics` setting turns metrics on (not `false`, `''` or `'off'`). */
export function metricsOn(setting: string | false): setting is string {
  return setting !== false && setting !== '' && setting !== 'off';
}

/**
 * Serves `source` on its own HTTP listener at `where` (see
 * `metricsListenOptions`), separate from the application's listener on
 * `appPort`. Resolves once it listens.
 */
export async function listenForMetrics(
  source: MetricsSource,
  where: string,
  appPort: number | undefined,
): Promise<Listener> {
  const listener = createListener(metricsApplication(source), 'http', {});
  await listener.listen(metricsListenOptions(where, appPort));
  return listener;
}

/** `/metrics` and `/stats` at a listener's address, for the start-up log line. */
export function metricsUrls(listener: Listener): string {
  return `${listener.address.url}/metrics and /stats`;
}
