/**
 * Hosts for the many-hosts test: network namespaces joined by veth links to a
 * bridge in a namespace of their own, all on 10.77.0.0/24 and nothing else (no
 * default route, no link to the test's own namespace).
 *
 * Two runs at once (two clones of the repository on one machine) must not
 * share anything global. Interfaces, addresses and ports live inside the
 * namespaces, created there directly, so they are private to a run. What is
 * global is the namespaces' names (/run/netns) and the temp dirs: both start
 * with {@link RUN_PREFIX}, `tsgi17-<pid>-`, the pid of the process running the
 * test, and `removeHosts()` removes only this run's. What a crashed run left
 * behind is cleared by `removeStaleHosts()`, only once its process is gone.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BOUNDS, bound, killQuietly } from '../../../../tools/test-support/index.ts';

/** What every namespace and temp dir of the test starts with, whichever run made it. */
export const PREFIX = 'tsgi17-';
/** This run's names: {@link PREFIX}, the pid of the test's process, `-`. */
export const RUN_PREFIX = `${PREFIX}${process.pid}-`;
/** The one private network the hosts share (inside the namespaces only). */
export const SUBNET = '10.77.0';

/** A host: its namespace and its address on {@link SUBNET}. */
export interface Host {
  name: string;
  ns: string;
  address: string;
}

const ip = (...args: string[]) =>
  execFileSync('ip', args, { stdio: 'pipe', timeout: bound(BOUNDS.short) });

/** Why the test cannot run here (not root, no `ip netns`), or undefined when it can. */
export function whyNoNamespaces(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root to create network namespaces';
  const probe = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' });
  if (probe.error !== undefined || probe.status !== 0) {
    return `\`ip netns\` is unavailable (${probe.error?.message ?? probe.stderr.trim()}): install iproute2`;
  }
  return undefined;
}

/** The namespaces that exist now and whose names start with `prefix`. */
function namespaces(prefix: string): string[] {
  const listed = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout ?? '';
  return listed
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((name) => name.startsWith(prefix));
}

/** Whether process `pid` exists (a process of another user counts). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The run prefix (`tsgi17-<pid>-`) of a name made by a run whose process is gone, or undefined. */
function staleRun(name: string): string | undefined {
  const match = new RegExp(`^${PREFIX}(\\d+)-`).exec(name);
  if (match === null || Number(match[1]) === process.pid || alive(Number(match[1])))
    return undefined;
  return match[0];
}

/**
 * Kills every process inside the namespaces whose names start with `prefix`
 * (by pid, from `ip netns pids`), deletes those namespaces (their veths go with
 * them) and the temp dirs with that prefix. Safe when nothing exists.
 */
function remove(prefix: string): void {
  for (const ns of namespaces(prefix)) {
    const pids = spawnSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' }).stdout ?? '';
    for (const pid of pids.split('\n').filter((p) => /^\d+$/.test(p)))
      killQuietly(Number(pid), 'SIGKILL', false);
  }
  for (const ns of namespaces(prefix)) {
    // A namespace is busy until the processes killed above are gone: retry, bounded.
    const deadline = Date.now() + bound(BOUNDS.short);
    while (spawnSync('ip', ['netns', 'del', ns]).status !== 0 && Date.now() < deadline)
      spawnSync('sleep', ['0.1']);
  }
  for (const entry of readdirSync(tmpdir())) {
    if (entry.startsWith(prefix)) rmSync(join(tmpdir(), entry), { recursive: true, force: true });
  }
}

/** Removes this run's hosts, their processes and temp dirs; run after the test (and before). */
export function removeHosts(): void {
  remove(RUN_PREFIX);
}

/**
 * Removes what runs that crashed left behind: namespaces and temp dirs named
 * `tsgi17-<pid>-…` whose process no longer exists. A run still going is never
 * touched.
 */
export function removeStaleHosts(): void {
  const stale = new Set<string>();
  for (const name of [...namespaces(PREFIX), ...readdirSync(tmpdir())]) {
    const run = staleRun(name);
    if (run !== undefined) stale.add(run);
  }
  for (const run of stale) remove(run);
}

/**
 * Creates one namespace per name in `hosts` (`{ db: 2, app1: 11 }` →
 * `tsgi17-<pid>-db` at 10.77.0.2), each with loopback up and a veth to the
 * bridge. The veth ends are created inside their namespaces (`eth0` in the
 * host, `p-<name>` in the bridge's), never in the machine's own.
 */
export function createHosts(hosts: Record<string, number>): Record<string, Host> {
  const sw = `${RUN_PREFIX}sw`;
  ip('netns', 'add', sw);
  ip('-n', sw, 'link', 'add', 'br0', 'type', 'bridge');
  ip('-n', sw, 'link', 'set', 'br0', 'up');
  const made: Record<string, Host> = {};
  for (const [name, last] of Object.entries(hosts)) {
    const ns = `${RUN_PREFIX}${name}`;
    const address = `${SUBNET}.${last}`;
    ip('netns', 'add', ns);
    ip('-n', ns, 'link', 'set', 'lo', 'up');
    ip(
      'link',
      'add',
      'eth0',
      'netns',
      ns,
      'type',
      'veth',
      'peer',
      'name',
      `p-${name}`,
      'netns',
      sw,
    );
    ip('-n', sw, 'link', 'set', `p-${name}`, 'master', 'br0');
    ip('-n', sw, 'link', 'set', `p-${name}`, 'up');
    ip('-n', ns, 'addr', 'add', `${address}/24`, 'dev', 'eth0');
    ip('-n', ns, 'link', 'set', 'eth0', 'up');
    made[name] = { name, ns, address };
  }
  return made;
}

/** Cuts `from` off `to` (a blackhole route on `from`'s side), or mends it. */
export function cut(from: Host, to: Host, on: boolean): void {
  ip('-n', from.ns, 'route', on ? 'add' : 'del', 'blackhole', `${to.address}/32`);
}

/** A command run to its end inside `host`; throws with its stderr when it fails. */
export function execIn(
  host: Host,
  command: string,
  args: string[],
  timeoutMs = bound(BOUNDS.slow),
): string {
  return execFileSync('ip', ['netns', 'exec', host.ns, command, ...args], {
    encoding: 'utf8',
    stdio: 'pipe',
    timeout: timeoutMs,
  });
}

/** A long-running process inside a host, in its own process group. */
export interface Proc {
  child: ChildProcess;
  output(): string;
  /** Resolves with the first match in stdout+stderr; rejects after `ms` (default: a process bound) or on exit. */
  waitFor(pattern: RegExp, ms?: number): Promise<RegExpMatchArray>;
  /** SIGKILL to the whole group (master and workers), then waits for the exit. */
  kill(): Promise<void>;
  exited: Promise<void>;
}

/** Starts `command args` inside `host` with `env`. */
export function spawnIn(host: Host, command: string, args: string[], env: NodeJS.ProcessEnv): Proc {
  const child = spawn('ip', ['netns', 'exec', host.ns, command, ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let text = '';
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    text += chunk.toString();
    for (const check of waiters) check();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  // 'close', not 'exit': all of its output has been read by then.
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  return {
    child,
    output: () => text,
    exited,
    waitFor(pattern, ms = bound(BOUNDS.process)) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => done(new Error(`no ${pattern} within ${ms} ms:\n${text}`)),
          ms,
        );
        const check = () => {
          const match = pattern.exec(text);
          if (match !== null) done(undefined, match);
        };
        const done = (error?: Error, match?: RegExpMatchArray) => {
          clearTimeout(timer);
          waiters.delete(check);
          if (error !== undefined) reject(error);
          else resolve(match as RegExpMatchArray);
        };
        waiters.add(check);
        void exited.then(() => done(new Error(`exited before ${pattern}:\n${text}`)));
        check();
      });
    },
    async kill() {
      if (child.pid === undefined) return;
      killQuietly(child.pid, 'SIGKILL');
      await exited;
    },
  };
}
