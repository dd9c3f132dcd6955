import type { Worker } from 'node:cluster';
import { logEvent } from '../log/event.js';

/** Where a worker is in its life, as the master sees it. */
export type SlotState = 'starting' | 'ready' | 'stopping';

/** One worker process as the master tracks it. */
export interface Slot {
  readonly worker: Worker;
  readonly generation: number;
  state: SlotState;
  bootError: string | undefined;
  lastBeat: number;
  /** The ready worker this one replaces once it is ready itself (recycling). */
  replaces: Slot | undefined;
  /** A replacement for this worker is already starting. */
  replaced: boolean;
}

/** How the master's log lines name a worker: `worker 3 (pid 4250)`. */
export function label(slot: Slot): string {
  return `worker ${slot.worker.id} (pid ${slot.worker.process.pid})`;
}

/** Time after which a worker that does not stop is killed, beyond its graceful timeout. */
const KILL_MARGIN_MS = 2000;

/**
 * Stops a worker gracefully, for `reason` (`reload`, `recycled`, `SIGTTOU`,
 * `SIGTERM`…, logged by it and by the worker): a `stop` message makes it
 * drain (`Listener.drain`) for up to `timeoutMs`; a worker still starting (it
 * reads no messages yet) gets SIGTERM. One that is not gone `timeoutMs` plus a
 * margin later is killed.
 */
export function stopSlot(slot: Slot, timeoutMs: number, reason: string): void {
  if (slot.state === 'stopping') return;
  const booting = slot.state === 'starting';
  slot.state = 'stopping';
  if (booting) {
    // SIGTERM ends it while it loads the app, and is a graceful stop once it listens.
    logEvent('master', `stopping ${label(slot)} (${reason}, still starting)`);
    slot.worker.process.kill('SIGTERM');
    return;
  }
  logEvent('master', `stopping ${label(slot)} (${reason}): it drains, up to ${timeoutMs / 1000} s`);
  try {
    slot.worker.send({ tsgi: 'stop', timeoutMs, reason });
  } catch {
    slot.worker.process.kill('SIGTERM');
  }
  const timer = setTimeout(() => {
    if (!slot.worker.isDead()) {
      logEvent('master', `${label(slot)} did not stop in time; killing it`);
      slot.worker.process.kill('SIGKILL');
    }
  }, timeoutMs + KILL_MARGIN_MS);
  timer.unref();
}

/**
 * The delay before workers that died are replaced: 100 ms, doubling with
 * each death in the last 30 s, at most 5 s.
 */
export class RespawnBackoff {
  private deaths: number[] = [];

  /** Records a death at `now` and returns the delay before the respawn. */
  next(now: number): number {
    this.deaths = this.deaths.filter((t) => now - t < 30_000);
    this.deaths.push(now);
    return Math.min(100 * 2 ** (this.deaths.length - 1), 5000);
  }
}
