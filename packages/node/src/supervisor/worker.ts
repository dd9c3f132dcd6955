import { type Application, flushLineBuffers } from '@tsgi/spec';
import { describeDrain } from '../lifecycle/drain.js';
import { createListener, type Listener } from '../listener/listener.js';
import { describeError } from '../log/error-stream.js';
import { logEvent } from '../log/event.js';
import { MetricsCollector } from '../metrics/collector.js';
import type { CliConfig } from './config.js';
import { listenTarget, shownAddress } from './listen-target.js';
import { loadApplication } from './load-app.js';
import { isTsgiMessage, type MasterMessage, type WorkerMessage } from './messages.js';
import { listenForMetrics, metricsOn, metricsUrls } from './metrics-endpoint.js';
import { RequestTracker } from './request-tracker.js';
import { serverOptions } from './server-options.js';

function send(message: WorkerMessage): Promise<void> {
  return new Promise((resolve) => {
    if (process.send === undefined || !process.connected) {
      resolve();
      return;
    }
    process.send(message, undefined, {}, () => resolve());
  });
}

/**
 * A cluster worker: loads the app afresh, listens on the socket the master
 * shares, tells the master it is ready, and stops gracefully on the master's
 * `stop` message (or its own SIGTERM/SIGINT). Asks to be recycled after
 * `--max-requests` (plus jitter) or a harakiri, and sends heartbeats when
 * harakiri is on so the master can kill a worker whose event loop is stuck.
 */
export async function runWorker(config: CliConfig): Promise<void> {
  let app: Application;
  try {
    app = await loadApplication(config.module, process.cwd());
  } catch (error) {
    await send({ tsgi: 'boot-error', error: describeError(error).trimEnd() });
    process.exit(1);
  }
  const limit =
    config.maxRequests > 0
      ? config.maxRequests + Math.floor(Math.random() * (config.maxRequestsJitter + 1))
      : 0;
  let recycling = false;
  const recycle = (reason: string) => {
    if (recycling) return;
    recycling = true;
    void send({ tsgi: 'recycle', reason });
  };
  const tracker = new RequestTracker(limit, config.harakiri, {
    onLimit: (count) => recycle(`served ${count} requests (max-requests)`),
    onHarakiri: (what, seconds) => {
      logEvent('worker', `harakiri: ${what} ran longer than ${seconds} s; answered 504, recycling`);
      recycle(`harakiri on ${what}`);
    },
  });
  const metrics = metricsOn(config.metrics) ? new MetricsCollector() : undefined;
  const options = { ...serverOptions(config, true), metrics };
  let listener: Listener;
  try {
    // Reads the certificate files afresh (HTTPS): a reload's new workers serve the new ones.
    listener = createListener(app, config.protocol, options);
    tracker.attach(listener);
    // The master owns the socket file: it cleared a stale one and sets its mode.
    await listener.listen(listenTarget(config), { sharedSocket: true });
  } catch (error) {
    await send({ tsgi: 'boot-error', error: describeError(error).trimEnd() });
    process.exit(1);
  }
  let stopping = false;
  const stop = async (timeoutMs: number, reason: string) => {
    if (stopping) return;
    stopping = true;
    tracker.stop();
    const report = await listener.drain(timeoutMs, reason);
    logEvent('worker', `${reason}: ${describeDrain(report)}`);
    if (metrics !== undefined) await send({ tsgi: 'metrics', sample: metrics.sample() });
    // The drain flushed the log lines already; this takes any written since.
    await flushLineBuffers();
    process.exit(0);
  };
  process.on('message', (message) => {
    if (isTsgiMessage(message) && message.tsgi === 'stop')
      void stop(message.timeoutMs, (message as MasterMessage).reason ?? 'stop');
  });
  // The master drives shutdown; a signal sent to the worker alone stops it gracefully too.
  process.on('SIGTERM', () => void stop(config.gracefulTimeout * 1000, 'SIGTERM'));
  process.on('SIGINT', () => void stop(config.gracefulTimeout * 1000, 'SIGINT'));
  for (const ignored of ['SIGHUP', 'SIGTTIN', 'SIGTTOU'] as const) process.on(ignored, () => {});
  if (config.harakiri > 0) {
    setInterval(() => void send({ tsgi: 'heartbeat' }), 500).unref();
  }
  if (metrics !== undefined) {
    // Pushed every second: a scrape of the master reads these and never waits on a worker.
    setInterval(() => void send({ tsgi: 'metrics', sample: metrics.sample() }), 1000).unref();
  }
  await send({ tsgi: 'ready', address: shownAddress(listener.address) });
}

/**
 * `--workers 1`: no master, the app runs in this process. SIGTERM/SIGINT stop
 * it gracefully (exit 0); harakiri still answers 504 and logs; max-requests
 * and reloads need a master and are reported as ignored.
 */
export async function runSingle(config: CliConfig): Promise<void> {
  const app = await loadApplication(config.module, process.cwd());
  if (config.maxRequests > 0) logEvent('server', 'max-requests needs --workers >= 2; ignored');
  const tracker = new RequestTracker(0, config.harakiri, {
    onLimit: () => {},
    onHarakiri: (what, seconds) =>
      logEvent('server', `harakiri: ${what} ran longer than ${seconds} s; answered 504`),
  });
  const metrics = metricsOn(config.metrics) ? new MetricsCollector() : undefined;
  const options = { ...serverOptions(config, false), metrics };
  const listener = createListener(app, config.protocol, options);
  tracker.attach(listener);
  const address = await listener.listen(listenTarget(config));
  const figures =
    metrics && (await listenForMetrics(metrics, config.metrics as string, address.port));
  if (figures) logEvent('server', `metrics on ${metricsUrls(figures)}`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logEvent('server', `${signal}: stopping, in-flight requests get ${config.gracefulTimeout} s`);
    tracker.stop();
    const [report] = await Promise.all([
      listener.drain(config.gracefulTimeout * 1000, signal),
      figures?.close(1000),
    ]);
    logEvent('server', `${describeDrain(report)}; stopped`);
    await flushLineBuffers();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGHUP', () => logEvent('server', 'SIGHUP: reloading needs --workers >= 2; ignored'));
  // Only now: whoever waits for this line may signal at once, and without a
  // handler the kernel's default for SIGTERM ends the process on the spot.
  logEvent('server', `listening on ${shownAddress(address)} (${config.protocol}, 1 process)`);
}
