import { logEvent } from '../log/event.js';
import { MasterMetrics } from '../metrics/master-metrics.js';
import type { ExitReason } from '../metrics/view.js';
import type { CliConfig } from './config.js';
import { listenForMetrics, metricsOn, metricsUrls } from './metrics-endpoint.js';
import type { Slot } from './slot.js';

/** The master's metrics with the listener that serves them. */
export interface MasterMetricsHooks
  extends Pick<MasterMetrics, 'started' | 'sampled' | 'ending' | 'exited'> {
  /** Starts the `--metrics` listener (before the workers, so a bad address stops the master at once). */
  listen(): Promise<void>;
}

/**
 * What the master calls as workers start, report, end and exit, when
 * `--metrics` is on; `undefined` otherwise, so the master pays nothing.
 * `slots` are the master's workers (for their states) and `address` the
 * application's shown address once known (for the listen queue).
 */
export function createMasterMetrics(
  config: CliConfig,
  slots: ReadonlySet<Slot>,
  address: () => string | undefined,
): MasterMetricsHooks | undefined {
  if (!metricsOn(config.metrics)) return undefined;
  const where = config.metrics;
  const stateOf = (id: number) =>
    [...slots].find((slot) => slot.worker.id === id)?.state ?? 'stopping';
  const appPort = () => {
    const port = /^[a-z]+:\/\/.*:(\d+)$/.exec(address() ?? '')?.[1];
    return port === undefined ? undefined : Number(port);
  };
  const metrics = new MasterMetrics(stateOf, appPort);
  return {
    started: (id, pid) => metrics.started(id, pid),
    sampled: (id, sample) => metrics.sampled(id, sample),
    ending: (id, reason) => metrics.ending(id, reason),
    exited: (id) => metrics.exited(id),
    async listen() {
      const listener = await listenForMetrics(
        metrics,
        where,
        config.socket ? undefined : config.port,
      );
      logEvent('master', `metrics on ${metricsUrls(listener)}`);
    },
  };
}

/** The exit reason a worker's `recycle` message stands for: `harakiri` or `max-requests`. */
export function recycleReason(reason: string): ExitReason {
  return reason.includes('harakiri') ? 'harakiri' : 'max-requests';
}
