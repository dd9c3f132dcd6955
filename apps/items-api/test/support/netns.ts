/**
 * Hosts for the many-hosts test: network namespaces joined by veth links to a
 * bridge in a namespace of their own, all on 10.77.0.0/24 and nothing else (no
 * default route, no link to the test's own namespace). Every name starts with
 * `tsgi17-` so that `removeHosts()` can clear what a crashed run left behind.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';

/** The prefix of every namespace, interface and temp dir the test makes. */
export const PREFIX = 'tsgi17-';
/** The one private network the hosts share. */
export const SUBNET = '10.77.0';

/** A host: its namespace and its address on {@link SUBNET}. */
export interface Host {
  name: string;
  ns: string;
  address: string;
}

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe', timeout: 10_000 });

/** Why the test cannot run here (not root, no `ip netns`), or undefined when it can. */
export function whyNoNamespaces(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root to create network namespaces';
  const probe = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' });
  if (probe.error !== undefined || probe.status !== 0) {
    return `\`ip netns\` is unavailable (${probe.error?.message ?? probe.stderr.trim()}): install iproute2`;
  }
  return undefined;
}

/** Our namespaces that exist now. */
function ours(): string[] {
  const listed = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout ?? '';
  return listed
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((name) => name.startsWith(PREFIX));
}

/**
 * Kills every process inside our namespaces (by pid, from `ip netns pids`),
 * deletes the namespaces (their veths go with them) and our temp dirs. Safe to
 * call when nothing exists; run before and after the test.
 */
export function removeHosts(): void {
  for (const ns of ours()) {
    const pids = spawnSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' }).stdout ?? '';
    for (const pid of pids.split('\n').filter((p) => /^\d+$/.test(p))) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {}
    }
  }
  for (const ns of ours()) {
    for (let attempt = 0; attempt < 20; attempt++) {
      if (spawnSync('ip', ['netns', 'del', ns]).status === 0) break;
      spawnSync('sleep', ['0.1']);
    }
  }
  for (const entry of spawnSync('ls', [tmpdir()], { encoding: 'utf8' }).stdout?.split('\n') ?? []) {
    if (entry.startsWith(PREFIX)) rmSync(`${tmpdir()}/${entry}`, { recursive: true, force: true });
  }
}

/**
 * Creates one namespace per name in `hosts` (`{ db: 2, app1: 11 }` →
 * `tsgi17-db` at 10.77.0.2), each with loopback up and a veth to the bridge.
 */
export function createHosts(hosts: Record<string, number>): Record<string, Host> {
  const sw = `${PREFIX}sw`;
  ip('netns', 'add', sw);
  ip('-n', sw, 'link', 'add', 'br0', 'type', 'bridge');
  ip('-n', sw, 'link', 'set', 'br0', 'up');
  const made: Record<string, Host> = {};
  for (const [name, last] of Object.entries(hosts)) {
    const ns = `${PREFIX}${name}`;
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
export function execIn(host: Host, command: string, args: string[], timeoutMs = 60_000): string {
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
  /** Resolves with the first match in stdout+stderr; rejects after `ms` or on exit. */
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
    waitFor(pattern, ms = 60_000) {
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
      try {
        process.kill(-(child.pid ?? 0), 'SIGKILL');
      } catch {}
      await exited;
    },
  };
}
