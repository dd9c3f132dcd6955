import type { ProcessSample } from '../metrics/sample.js';

/** Messages a worker sends its master over the cluster IPC channel. */
export type WorkerMessage =
  | { tsgi: 'ready'; address: string }
  | { tsgi: 'metrics'; sample: ProcessSample }
  | { tsgi: 'boot-error'; error: string }
  | { tsgi: 'recycle'; reason: string }
  | { tsgi: 'heartbeat' };

/** Messages the master sends a worker. */
export type MasterMessage = { tsgi: 'stop'; timeoutMs: number; reason: string };

/** The environment variable that carries the resolved config to a worker. */
export const CONFIG_ENV = 'TSGI_WORKER_CONFIG';

/** True for a message of ours (cluster also carries Node's internal ones). */
export function isTsgiMessage(value: unknown): value is WorkerMessage | MasterMessage {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { tsgi?: unknown }).tsgi === 'string'
  );
}
