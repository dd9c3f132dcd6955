// `tsgi serve --reload`: an edit reloads the workers while a keep-alive client keeps sending,
// without a failed request; a syntax error leaves the old workers answering and says where it is.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BOUNDS, bound, until } from '../../../../tools/test-support/index.ts';
import { resolveCommand, UsageError } from '../../src/cli/config.js';
import { keepAliveLoad } from './keep-alive-load.js';
import { CLI, startTsgi } from './run-tsgi.js';

const dir = mkdtempSync(join(tmpdir(), 'tsgi-reload-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const APP = `import { version } from './lib/version.mjs';
const enc = new TextEncoder();
export async function application(environ, startResponse) {
  await environ['tsgi.input'].read();
  const body = enc.encode(JSON.stringify({ version }));
  startResponse('200 OK', [['Content-Type', 'application/json'], ['Content-Length', String(body.byteLength)]]);
  return [body];
}
`;
const version = (text: string) => writeFileSync(join(dir, 'lib/version.mjs'), text);

/** Polls GET / until it answers `{ version: want }`; bounded by `BOUNDS.process`. */
async function answers(url: string, want: string): Promise<void> {
  let last = '';
  await until(
    async () => {
      last = await (await fetch(url)).text();
      return JSON.parse(last).version === want;
    },
    {
      ms: BOUNDS.process,
      what: `version ${want}`,
      every: 100,
      details: () => `still answering ${last}`,
    },
  );
}

describe('tsgi serve --reload', () => {
  it(
    'reloads on an edit of an imported file with no failed request; a syntax error keeps the old app',
    async () => {
      rmSync(join(dir, 'lib'), { recursive: true, force: true });
      writeFileSync(join(dir, 'app.mjs'), APP);
      mkdirSync(join(dir, 'lib'));
      version("export const version = 'v1';\n");
      const tsgi = startTsgi(['serve', 'app.mjs', '--reload', '--workers', '2', '--port', '0'], {
        cwd: dir,
      });
      const url = await tsgi.listening;
      let done = false;
      const load = keepAliveLoad(url, {
        lanes: 2,
        ms: 180_000,
        maxRequests: 1_000_000,
        stopWhen: () => done,
        path: '/',
      });
      try {
        await answers(url, 'v1');
        version("export const version = 'v2';\n");
        await answers(url, 'v2');

        version("export const version = 'v3' +;\n");
        await tsgi.waitFor(/reload aborted, old workers keep serving/);
        expect(tsgi.stderr()).toMatch(/lib\/version\.mjs:1\n.*'v3' \+;/);
        expect(tsgi.stderr()).toContain("SyntaxError: Unexpected token ';'");
        await answers(url, 'v2');

        version("export const version = 'v4';\n");
        await answers(url, 'v4');
      } finally {
        done = true;
      }
      const result = await load;
      expect(result.failed).toEqual([]);
      expect(result.ok).toBeGreaterThan(0);
    },
    bound(300_000),
  );

  it('is refused with production options, naming why', () => {
    const refuse = (argv: string[]) => () => resolveCommand(argv, {});
    expect(refuse(['serve', 'app.mjs', '--reload', '--max-requests', '1000'])).toThrow(UsageError);
    expect(refuse(['serve', 'app.mjs', '--reload', '--max-requests', '1000'])).toThrow(
      '--reload is for development and cannot run with --max-requests (recycling)',
    );
    expect(refuse(['serve', 'app.mjs', '--reload-dir', 'src'])).toThrow(
      '--reload-dir needs --reload',
    );
  });

  it('is refused under systemd socket activation', async () => {
    writeFileSync(join(dir, 'app.mjs'), APP);
    // LISTEN_PID must be the pid of tsgi itself: the shell sets it, then becomes tsgi.
    const tsgi = startTsgi(['serve', 'app.mjs', '--reload'], {
      cwd: dir,
      command: ['sh', '-c', 'LISTEN_PID=$$ LISTEN_FDS=1 exec "$0" "$@"', process.execPath, CLI],
    });
    expect(await tsgi.exited).toBe(2);
    expect(tsgi.stderr()).toContain(
      '--reload is for development and cannot run with systemd socket activation',
    );
  });
});
