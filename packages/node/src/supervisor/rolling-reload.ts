import { counted, logEvent } from '../log/event.js';
import type { CliConfig } from './config.js';
import { type DevReload, startDevReload, withSyntaxLocation } from './dev-reload.js';
import type { Slot } from './slot.js';

/** What a rolling reload needs from the master's pool of workers. */
export interface ReloadPool {
  /** The workers the master tracks, of every generation. */
  readonly slots: ReadonlySet<Slot>;
  /** How many workers should serve. */
  size(): number;
  /** Whether the master is stopping (a reload then starts nothing). */
  shuttingDown(): boolean;
  /** Forks one worker of `generation`. */
  fork(generation: number): void;
  /** Stops a worker because a reload replaced it or was aborted; `reason` is logged. */
  stop(slot: Slot, reason: string): void;
}

/**
 * The master's rolling reload (SIGHUP, or a file change under `--reload`):
 * a whole new generation of workers starts beside the serving one; once all
 * of it is ready the old workers drain, and if one of it fails to start the
 * new generation is stopped and the old one keeps serving. One reload runs
 * at a time; a file that changes meanwhile is reloaded for once it ends.
 */
export class RollingReload {
  /** The generation of workers that serves; a reload starts the next one. */
  serving = 0;
  private generations = 0;
  /** The generation a running reload is starting, or undefined. */
  private starting: number | undefined;
  /** Under `--reload`: a file that changed during a reload, to reload for once it ends. */
  private again: string | undefined;
  private dev: DevReload | undefined;
  private readonly pool: ReloadPool;

  constructor(pool: ReloadPool) {
    this.pool = pool;
  }

  /** Under `--reload`, starts watching the app's files, each change starting a reload. */
  watch(config: CliConfig): void {
    this.dev = startDevReload(config, (why) => this.start(why));
  }

  /** Whether a running reload is starting workers of `generation`. */
  isStarting(generation: number): boolean {
    return this.starting !== undefined && generation === this.starting;
  }

  /** Starts a rolling reload; `why` is `SIGHUP` or, under `--reload`, the file that changed. */
  start(why = 'SIGHUP'): void {
    if (this.pool.shuttingDown()) return;
    if (this.starting !== undefined) {
      if (why === 'SIGHUP') {
        logEvent('master', 'SIGHUP: a reload is already running; ignored');
      } else {
        // A file changed while the workers of an older version start: load the newest next.
        this.again = why;
      }
      return;
    }
    const target = ++this.generations;
    this.starting = target;
    const size = this.pool.size();
    logEvent('master', `${why}: rolling reload, starting ${counted(size, 'new worker')}`);
    for (let i = 0; i < size; i++) this.pool.fork(target);
  }

  /** After a worker became ready: once the new generation is all ready, the old one drains. */
  onReady(): void {
    const target = this.starting;
    if (target === undefined) return;
    const fresh = [...this.pool.slots].filter((s) => s.generation === target);
    if (!fresh.every((s) => s.state === 'ready')) return;
    for (const s of this.pool.slots) if (s.generation !== target) this.pool.stop(s, 'reload');
    this.serving = target;
    this.starting = undefined;
    logEvent(
      'master',
      `reload done: ${counted(fresh.length, 'new worker')} ${fresh.length === 1 ? 'serves' : 'serve'}, old ones drain`,
    );
    this.startPending();
  }

  /** A worker of the new generation (`who`) failed to start with `error`: the old ones keep serving. */
  abort(who: string, error: string): void {
    logEvent(
      'master',
      `reload aborted, old workers keep serving: ${who} failed to start: ${withSyntaxLocation(error, this.dev)}`,
    );
    const target = this.starting;
    this.starting = undefined;
    for (const s of [...this.pool.slots])
      if (s.generation === target) this.pool.stop(s, 'reload aborted');
    this.startPending();
  }

  /** Starts the reload a file change asked for while another one ran. */
  private startPending(): void {
    const why = this.again;
    this.again = undefined;
    if (why !== undefined) this.start(why);
  }
}
