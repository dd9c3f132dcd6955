import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The result of a command run to completion, with its output kept for error messages. */
export interface Run {
  status: number | null;
  output: string;
}

/** Runs a command in `cwd`, bounded by `timeoutMs`, and keeps stdout and stderr together. */
export function run(command: string, args: string[], cwd: string, timeoutMs = 120_000): Run {
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    timeout: timeoutMs,
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
  });
  const output = `$ ${command} ${args.join(' ')}\n${result.stdout ?? ''}${result.stderr ?? ''}${
    result.error ? `\n${result.error.message}` : ''
  }`;
  return { status: result.status, output };
}

/** Like {@link run}, without blocking: for commands that can run side by side. */
export function runAsync(
  command: string,
  args: string[],
  cwd: string,
  timeoutMs = 120_000,
): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd,
      timeout: timeoutMs,
      env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
    });
    let output = `$ ${command} ${args.join(' ')}\n`;
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('error', (error) => {
      output += `\n${error.message}`;
    });
    child.on('close', (status) => resolve({ status, output }));
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
