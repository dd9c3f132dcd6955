/**
 * `create-tsgi` with its answers piped on stdin, as `printf '...' | npm create
 * tsgi` gives them: the real CLI (src/cli.ts through tsx), stdin a pipe.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { BOUNDS, bound } from '../../../tools/test-support/index.ts';

const work = mkdtempSync(join(tmpdir(), 'create-tsgi-piped-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const pkg = fileURLToPath(new URL('..', import.meta.url));

/** Runs the CLI with `stdin` written to a pipe and then closed; resolves with its exit and output. */
function run(stdin: string, args: string[] = []) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: pkg,
    stdio: ['pipe', 'pipe', 'pipe'],
    timeout: bound(BOUNDS.process),
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  child.stdin.end(stdin);
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('answers piped on stdin', () => {
  it('are read one line per question, and the app is made', async () => {
    const dir = join(work, 'piped-app');
    const result = await run(`${dir}\nfastcgi\n`);
    expect(result, result.stderr).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain('Project folder (my-tsgi-app): ');
    expect(result.stdout).toContain('(http): fastcgi\n');
    expect(result.stdout).toContain('(fastcgi behind Nginx)');
    expect(readFileSync(join(dir, 'deploy/tsgi.service'), 'utf8')).toContain(
      '--config /etc/tsgi/tsgi-fastcgi.ini',
    );
  });

  it('an answer that is not usable takes the next line', async () => {
    const dir = join(work, 'second-try');
    const result = await run(`${join(work, 'Bad Name')}\n${dir}\n\n`);
    expect(result, result.stderr).toMatchObject({ code: 0 });
    expect(result.stdout).toContain('"Bad Name" is not a package name');
    expect(existsSync(join(dir, 'package.json'))).toBe(true);
  });

  it.each([
    ['ends before the protocol', (dir: string) => `${dir}\n`],
    ['is empty', () => ''],
  ])('a stdin that %s is refused: exit 1, --yes suggested, nothing made', async (_, input) => {
    const dir = join(work, `short-${input('x').length}`);
    const result = await run(input(dir));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^create-tsgi: stdin ended before an answer to ".+"/);
    expect(result.stderr).toContain('--yes');
    expect(existsSync(dir)).toBe(false);
  });

  it('needs no stdin with the answers on the command line', async () => {
    const dir = join(work, 'flags-app');
    const result = await run('', [dir, '--protocol', 'uwsgi']);
    expect(result, result.stderr).toMatchObject({ code: 0, stderr: '' });
    expect(existsSync(join(dir, 'deploy/nginx.conf'))).toBe(true);
  });
});
