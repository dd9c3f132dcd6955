import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { BOUNDS, bound, killQuietly } from '../../test-support/index.ts';

/** The result of a command run to completion, with its output kept for error messages. */
export interface Run {
  status: number | null;
  output: string;
}

/**
 * Runs a command in `cwd` and keeps stdout and stderr together. It runs in a
 * process group of its own, bounded by `timeoutMs` (a scaled bound by
 * default): past it, the whole group (pnpm and whatever it started) is
 * killed, as is anything of the group still running once the command ended,
 * so nothing outlives the test.
 */
export function run(
  command: string,
  args: string[],
  cwd: string,
  timeoutMs = bound(120_000),
): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd,
      detached: true,
      env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
    });
    let output = `$ ${command} ${args.join(' ')}\n`;
    const timer = setTimeout(() => {
      output += `\n(timed out after ${timeoutMs} ms: killed with its process group)`;
      killQuietly(child.pid, 'SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('error', (error) => {
      output += `\n${error.message}`;
    });
    child.on('close', (status) => {
      clearTimeout(timer);
      killQuietly(child.pid, 'SIGKILL');
      resolve({ status, output });
    });
  });
}

/**
 * Copies the files git knows about (tracked, plus untracked ones that are not
 * ignored: never node_modules or dist) from `root` into a new temp folder and
 * returns it. Then copies the `dist` folders of `built` packages, so the copy
 * can type-check against them without building them again.
 */
export function copyWorkspace(root: string, built: string[]): string {
  const listed = spawnSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], {
    cwd: root,
    encoding: 'utf8',
    timeout: bound(BOUNDS.process),
  });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  const files = listed.stdout.split('\0');
  const copy = mkdtempSync(join(tmpdir(), 'tsgi-new-package-'));
  for (const file of files) {
    if (file === '') continue;
    const from = join(root, file);
    // A file deleted in the working tree but still tracked is skipped.
    if (!existsSync(from) || !statSync(from).isFile()) continue;
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    cpSync(from, join(copy, file));
  }
  for (const dir of built) {
    const dist = join(root, dir, 'dist');
    if (existsSync(dist)) cpSync(dist, join(copy, dir, 'dist'), { recursive: true });
  }
  return copy;
}
