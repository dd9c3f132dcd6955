// `tsgi serve --certfile --keyfile` with a master: SIGHUP's rolling reload serves a replaced
// certificate to new connections while an open keep-alive connection keeps answering; a bad
// certificate at reload keeps the old workers serving and the log says why. Bad files at
// start-up stop tsgi with a message naming the file.
import { copyFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guarded } from '../../../../tools/test-support/index.ts';
import { startTsgi, stopTsgi } from '../cli/run-tsgi.js';
import { makePki, servedCn, type TestPki } from './certs.js';
import { keptConnection } from './tls-client.js';

const APP = `export function application(environ, startResponse) {
  const body = new TextEncoder().encode(environ['tsgi.url_scheme'] + ' ' + process.pid);
  startResponse('200 OK', [['Content-Type', 'text/plain'], ['Content-Length', String(body.byteLength)]]);
  return [body];
}
`;

let pki: TestPki;
beforeAll(async () => {
  pki = await makePki();
  await pki.issue('one', 'tsgi-one');
  await pki.issue('two', 'tsgi-two');
  writeFileSync(pki.path('app.mjs'), APP);
  writeFileSync(pki.path('garbage.pem'), 'not a certificate\n');
});
afterAll(() => pki?.remove());

/** Puts `<name>.pem`/`.key` where tsgi reads its certificate and key. */
const install = (name: string) => {
  copyFileSync(pki.path(`${name}.pem`), pki.path('cert.pem'));
  copyFileSync(pki.path(`${name}.key`), pki.path('key.pem'));
};

describe('tsgi serve over TLS', () => {
  it('SIGHUP serves the new certificate, keeps open connections; a bad one at reload is refused', async () => {
    install('one');
    const tsgi = startTsgi(
      [
        'serve',
        'app.mjs',
        '--workers',
        '2',
        '--port',
        '0',
        '--certfile',
        'cert.pem',
        '--keyfile',
        'key.pem',
        // The open connection must outlive the reload without being closed as idle.
        '--keep-alive-timeout',
        '600',
      ],
      { cwd: pki.dir },
    );
    await guarded(
      async () => {
        const url = await tsgi.listening;
        expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
        const port = Number(new URL(url).port);
        await tsgi.waitFor(/ready[\s\S]*ready/);
        expect(await servedCn(pki.dir, port, pki.ca)).toBe('tsgi-one');
        const kept = await keptConnection(port, pki.ca);
        const first = await kept.get('/');
        expect(first.status).toBe('HTTP/1.1 200 OK');
        expect(first.body).toMatch(/^https \d+$/);

        install('two');
        tsgi.child.kill('SIGHUP');
        await tsgi.waitFor(/reload done/);
        expect(await servedCn(pki.dir, port, pki.ca)).toBe('tsgi-two');
        // The connection opened before the reload still answers, from its old worker.
        const after = await kept.get('/');
        expect(after.status).toBe('HTTP/1.1 200 OK');
        expect(after.body).toBe(first.body);
        expect(kept.cn).toBe('tsgi-one');
        kept.close();

        copyFileSync(pki.path('garbage.pem'), pki.path('cert.pem'));
        tsgi.child.kill('SIGHUP');
        const why = await tsgi.waitFor(/reload aborted, old workers keep serving: .*/);
        expect(why[0]).toContain(`certfile cert.pem: is not a PEM certificate`);
        expect(await servedCn(pki.dir, port, pki.ca)).toBe('tsgi-two');
      },
      () => stopTsgi(tsgi),
    );
  });

  it('a bad file at start-up: exit 1 naming it; TLS flags with uwsgi: a usage error', async () => {
    const bad = startTsgi(
      ['serve', 'app.mjs', '--port', '0', '--certfile', 'garbage.pem', '--keyfile', 'one.key'],
      { cwd: pki.dir },
    );
    expect(await bad.exited).toBe(1);
    expect(bad.stderr()).toContain(
      'tsgi: certfile garbage.pem: is not a PEM certificate (no "-----BEGIN CERTIFICATE-----" line)',
    );
    const mismatch = startTsgi(
      ['serve', 'app.mjs', '--port', '0', '--certfile', 'one.pem', '--keyfile', 'two.key'],
      { cwd: pki.dir },
    );
    expect(await mismatch.exited).toBe(1);
    expect(mismatch.stderr()).toContain(
      'tsgi: keyfile two.key: does not match the certificate of certfile one.pem',
    );
    const uwsgi = startTsgi(
      ['serve', 'app.mjs', '--protocol', 'uwsgi', '--certfile', 'one.pem', '--keyfile', 'one.key'],
      { cwd: pki.dir },
    );
    expect(await uwsgi.exited).toBe(2);
    expect(uwsgi.stderr()).toContain(
      'TLS (--certfile, --keyfile, --ca-certs, --cert-reqs) is for the http protocol only',
    );
    const alone = startTsgi(['serve', 'app.mjs', '--certfile', 'one.pem'], { cwd: pki.dir });
    expect(await alone.exited).toBe(2);
    expect(alone.stderr()).toContain('--certfile needs --keyfile');
  });
});
