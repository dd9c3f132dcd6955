import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jsonResponse } from '@tsgi/spec';
import { afterAll, describe, expect, it } from 'vitest';
import { createListener, defaults } from '../src/index.js';
import { parseHead, rawRequest, start } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'tsgi-socket-mode-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `body` with the umask at 000, as a careless service manager may set it, then restores it. */
async function underUmask000<T>(body: () => Promise<T>): Promise<T> {
  const previous = process.umask(0);
  try {
    return await body();
  } finally {
    process.umask(previous);
  }
}

const mode = (path: string) => statSync(path).mode & 0o777;

// A socket's mode never follows the umask: 0660 unless socketMode says otherwise.
describe('the Unix socket mode', () => {
  it('is defaults.socketMode (0660) under umask 000, and the umask is left as it was', async () => {
    expect(defaults.socketMode).toBe(0o660);
    const path = join(dir, 'default.sock');
    const server = await underUmask000(async () => {
      const served = await start(
        (_environ, startResponse) => jsonResponse(startResponse, 200, {}),
        {
          socket: path,
        },
      );
      expect(process.umask()).toBe(0);
      return served;
    });
    expect(mode(path)).toBe(0o660);
    const { status } = parseHead((await rawRequest(path, 'GET / HTTP/1.0\r\n\r\n')).text);
    expect(status).toBe(200);
    await server.close();
  });

  it('is socketMode when given, whatever the umask', async () => {
    const path = join(dir, 'owner.sock');
    const server = await underUmask000(() =>
      start((_environ, startResponse) => jsonResponse(startResponse, 200, {}), {
        socket: path,
        socketMode: 0o600,
      }),
    );
    expect(mode(path)).toBe(0o600);
    await server.close();
  });

  it('is set by Listener.listen for every protocol', async () => {
    const path = join(dir, 'uwsgi.sock');
    const listener = createListener(
      (_environ, startResponse) => jsonResponse(startResponse, 200, {}),
      'uwsgi',
    );
    await underUmask000(() => listener.listen({ socket: path }));
    expect(mode(path)).toBe(0o660);
    await listener.close();
  });

  it('is left alone on a socket the caller shares (the cluster master sets it)', async () => {
    const path = join(dir, 'shared.sock');
    const listener = createListener(
      (_environ, startResponse) => jsonResponse(startResponse, 200, {}),
      'http',
    );
    await underUmask000(() => listener.listen({ socket: path }, { sharedSocket: true }));
    expect(mode(path)).toBe(0o777);
    await listener.close();
  });
});
