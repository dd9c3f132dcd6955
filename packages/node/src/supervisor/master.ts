import cluster, { type Worker } from 'node:cluster';
import { counted, logEvent } from '../log/event.js';
import type { ExitReason } from '../metrics/view.js';
import { everyAfterIo } from './after-io.js';
import type { CliConfig } from './config.js';
import { MasterSocket } from './master-socket.js';
import { CONFIG_ENV, isTsgiMessage, type WorkerMessage } from './messages.js';
import { createMasterMetrics, type MasterMetricsHooks, recycleReason } from './metrics-hooks.js';
import { RollingReload } from './rolling-reload.js';
import { label, RespawnBackoff, type Slot, stopSlot } from './slot.js';

/** Consecutive start-up failures after which the master gives up. */
const MAX_BOOT_FAILURES = 5;

/**
 * The master process: forks `config.workers` workers that share the listening
 * socket (Node's cluster; the OS balances connections among them), replaces
 * workers that die (with backoff), and handles signals:
 * SIGTERM/SIGINT graceful stop, SIGHUP rolling reload (`RollingReload`), SIGTTIN/SIGTTOU one
 * worker more/less. A worker that cannot start during the first start-up (or
 * five in a row later) stops the master with exit code 1 and the worker's error.
 */
export class Master {
  private readonly config: CliConfig;
  private readonly slots = new Set<Slot>();
  private target: number;
  /** The serving generation of workers and the reload that replaces it. */
  private readonly reloads: RollingReload;
  private everReady = false;
  private address: string | undefined;
  private shuttingDown = false;
  private bootFailures = 0;
  private readonly backoff = new RespawnBackoff();
  private respawnTimer: NodeJS.Timeout | undefined;
  /** The `--socket` file: cleared, given its mode, and removed at exit only while still ours. */
  private readonly socket: MasterSocket;
  /** Worker samples, starts and exits for `--metrics`; undefined when it is off. */
  private readonly metrics: MasterMetricsHooks | undefined;

  constructor(config: CliConfig) {
    this.config = config;
    this.target = config.workers;
    this.socket = new MasterSocket(config);
    this.metrics = createMasterMetrics(config, this.slots, () => this.address);
    this.reloads = new RollingReload({
      slots: this.slots,
      size: () => this.target,
      shuttingDown: () => this.shuttingDown,
      fork: (generation) => this.fork(undefined, generation),
      stop: (slot, reason) => this.stop(slot, reason, 'reload'),
    });
  }

  /** Prepares the socket, forks the workers and installs the signal handlers. */
  async start(): Promise<void> {
    const config = this.config;
    await this.socket.prepare();
    cluster.schedulingPolicy = cluster.SCHED_NONE;
    cluster.setupPrimary({ exec: process.argv[1]!, args: [] });
    cluster.on('exit', (worker, code, signal) => this.onExit(worker, code, signal));
    process.on('SIGTERM', () => this.shutdown('SIGTERM'));
    process.on('SIGINT', () => this.shutdown('SIGINT'));
    process.on('SIGHUP', () => this.reloads.start());
    process.on('SIGTTIN', () => this.scale(+1));
    process.on('SIGTTOU', () => this.scale(-1));
    // Judged only after the heartbeats that came in meanwhile were read: a master busy
    // for a while itself must not take its workers' queued heartbeats for silence.
    if (config.harakiri > 0) everyAfterIo(500, () => this.checkHeartbeats());
    await this.metrics?.listen();
    this.reloads.watch(config);
    logEvent(
      'master',
      `starting ${counted(this.target, 'worker')} for ${config.module} (${config.protocol}, node ${process.version})`,
    );
    for (let i = 0; i < this.target; i++) this.fork();
    this.socket.narrowUmask();
  }

  private fork(replaces?: Slot, generation = replaces?.generation ?? this.reloads.serving): Slot {
    const worker = this.socket.forking(() =>
      cluster.fork({ [CONFIG_ENV]: JSON.stringify(this.config), LISTEN_FDS: '', LISTEN_PID: '' }),
    );
    const slot: Slot = {
      worker,
      generation,
      state: 'starting',
      bootError: undefined,
      lastBeat: Date.now(),
      replaces,
      replaced: false,
    };
    this.slots.add(slot);
    this.metrics?.started(worker.id, worker.process.pid!);
    // An IPC send to a worker that just died fails with an 'error' event; it must not end the master.
    worker.on('error', (error: Error) => {
      logEvent('master', `${label(slot)}: ${error.message}`);
    });
    worker.on('message', (message: unknown) => {
      if (isTsgiMessage(message)) this.onMessage(slot, message as WorkerMessage);
    });
    return slot;
  }

  private onMessage(slot: Slot, message: WorkerMessage): void {
    switch (message.tsgi) {
      case 'ready':
        void this.onReady(slot, message.address);
        break;
      case 'boot-error':
        slot.bootError = message.error;
        break;
      case 'heartbeat':
        slot.lastBeat = Date.now();
        break;
      case 'metrics':
        this.metrics?.sampled(slot.worker.id, message.sample);
        break;
      case 'recycle':
        if (slot.state !== 'ready' || slot.replaced || this.shuttingDown) return;
        slot.replaced = true;
        this.metrics?.ending(slot.worker.id, recycleReason(message.reason));
        logEvent('master', `${label(slot)} asks to be recycled: ${message.reason}`);
        this.fork(slot);
        break;
    }
  }

  private async onReady(slot: Slot, address: string): Promise<void> {
    if (slot.state !== 'starting') return;
    slot.state = 'ready';
    slot.lastBeat = Date.now();
    this.bootFailures = 0;
    logEvent('master', `${label(slot)} ready`);
    if (this.shuttingDown) {
      this.stop(slot, 'stop');
      return;
    }
    // No other worker ready: this one's listen (re)bound the shared socket.
    const rebound = ![...this.slots].some((other) => other !== slot && other.state === 'ready');
    if (!this.everReady) {
      this.everReady = true;
      this.address = address;
      await this.socket.claim();
      logEvent(
        'master',
        `listening on ${address} (${this.config.protocol}, ${counted(this.target, 'worker')})`,
      );
    } else if (rebound) {
      await this.socket.claim();
    }
    if (slot.replaces !== undefined) {
      const old = slot.replaces;
      slot.replaces = undefined;
      if (this.slots.has(old) && old.state !== 'stopping') this.stop(old, 'recycled');
    }
    this.reloads.onReady();
  }

  private stop(slot: Slot, reason: string, exit?: ExitReason): void {
    if (exit !== undefined) this.metrics?.ending(slot.worker.id, exit);
    stopSlot(slot, this.config.gracefulTimeout * 1000, reason);
  }

  private living(): Slot[] {
    return [...this.slots].filter((s) => s.state !== 'stopping');
  }

  private onExit(worker: Worker, code: number | null, signal: string | null): void {
    const slot = [...this.slots].find((s) => s.worker === worker);
    if (slot === undefined) return;
    this.slots.delete(slot);
    this.metrics?.exited(worker.id);
    const how = signal !== null ? `signal ${signal}` : `code ${code}`;
    if (this.shuttingDown || slot.state === 'stopping') {
      logEvent('master', `${label(slot)} exited (${how})`);
      if (this.shuttingDown && this.slots.size === 0) void this.finish(0);
      return;
    }
    if (slot.state === 'starting') {
      const error = slot.bootError ?? `it exited with ${how} before it was ready`;
      if (!this.everReady) {
        this.fatal(`${label(slot)} failed to start: ${error}`);
        return;
      }
      if (this.reloads.isStarting(slot.generation)) {
        this.reloads.abort(label(slot), error);
        return;
      }
      this.bootFailures++;
      if (this.bootFailures >= MAX_BOOT_FAILURES) {
        this.fatal(
          `${counted(this.bootFailures, 'worker')} in a row failed to start; last error: ${error}`,
        );
        return;
      }
      logEvent('master', `${label(slot)} failed to start: ${error.split('\n')[0]}`);
    } else {
      logEvent('master', `${label(slot)} died (${how})`);
    }
    if (slot.replaces !== undefined) slot.replaces.replaced = false;
    this.scheduleRespawn();
  }

  private scheduleRespawn(): void {
    const delay = this.backoff.next(Date.now());
    if (this.respawnTimer !== undefined) return;
    logEvent('master', `restarting workers in ${delay} ms`);
    this.respawnTimer = setTimeout(() => {
      this.respawnTimer = undefined;
      if (this.shuttingDown) return;
      const missing =
        this.target - this.living().filter((s) => s.generation === this.reloads.serving).length;
      for (let i = 0; i < missing; i++) this.fork();
    }, delay);
  }

  private checkHeartbeats(): void {
    const limit = this.config.harakiri * 1000 + 1000;
    const now = Date.now();
    for (const slot of this.slots) {
      if (slot.state === 'starting' || now - slot.lastBeat < limit) continue;
      logEvent(
        'master',
        `harakiri: ${label(slot)} unresponsive for ${((now - slot.lastBeat) / 1000).toFixed(1)} s (event loop blocked); killing it`,
      );
      slot.lastBeat = now;
      this.metrics?.ending(slot.worker.id, 'harakiri');
      slot.worker.process.kill('SIGKILL');
    }
  }

  private scale(delta: number): void {
    if (this.shuttingDown) return;
    if (delta > 0) {
      this.target++;
      logEvent('master', `SIGTTIN: one more worker (${this.target})`);
      this.fork();
      return;
    }
    if (this.target <= 1) {
      logEvent('master', 'SIGTTOU: already at one worker; ignored');
      return;
    }
    this.target--;
    logEvent('master', `SIGTTOU: one worker less (${this.target})`);
    const newest = this.living()
      .filter((s) => s.generation === this.reloads.serving)
      .sort((a, b) => b.worker.id - a.worker.id)[0];
    if (newest !== undefined) this.stop(newest, 'SIGTTOU', 'ttou');
  }

  private shutdown(signal: string): void {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    if (this.respawnTimer !== undefined) clearTimeout(this.respawnTimer);
    logEvent(
      'master',
      `${signal}: graceful stop, in-flight requests get ${this.config.gracefulTimeout} s`,
    );
    if (this.slots.size === 0) {
      void this.finish(0);
      return;
    }
    for (const slot of this.slots) this.stop(slot, signal, 'shutdown');
  }

  private fatal(message: string): void {
    this.shuttingDown = true;
    logEvent('master', `error: ${message}`);
    for (const slot of this.slots) slot.worker.process.kill('SIGKILL');
    void this.finish(1);
  }

  private async finish(code: number): Promise<void> {
    await this.socket.release();
    logEvent('master', code === 0 ? 'stopped' : `exiting with code ${code}`);
    process.exit(code);
  }
}
