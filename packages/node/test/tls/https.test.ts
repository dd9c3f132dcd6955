// HTTPS on the HTTP listener, against real peers (curl, openssl s_client):
// the served certificate, client certificates, and bad files named at start-up.
import { writeFileSync } from 'node:fs';
import { validate } from '@tsgi/spec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guarded } from '../../../../tools/test-support/index.ts';
import { createListener, type ServeOptions, serve } from '../../src/index.js';
import { tlsEcho } from './app.js';
import { curl, makePki, servedCn, type TestPki } from './certs.js';

let pki: TestPki;
beforeAll(async () => {
  pki = await makePki();
  await pki.issue('server', 'localhost');
  await pki.issue('client', 'tsgi-client');
  await pki.issue('stranger', 'stranger', { selfSigned: true });
  await pki.issue('other', 'other-server');
});
afterAll(() => pki?.remove());

const files = () => ({ certfile: pki.path('server.pem'), keyfile: pki.path('server.key') });

/** Serves the TLS echo app on a kernel port with `options`, runs `body`, closes. */
async function withServer(
  options: ServeOptions,
  body: (url: string, port: number) => Promise<void>,
): Promise<void> {
  const server = await serve(validate(tlsEcho), { port: 0, ...files(), ...options });
  await guarded(
    () => body(server.address.url, server.address.port!),
    () => server.close(),
  );
}

describe('HTTPS', () => {
  it('curl --http1.1 gets the answer; the app sees https; s_client sees the certificate', async () => {
    await withServer({}, async (url, port) => {
      expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const answer = await curl(`${url}/`, pki.ca);
      expect(answer.stderr).toBe('');
      expect(JSON.parse(answer.body)).toEqual({ scheme: 'https' });
      // curl checks the name too: the certificate is valid for localhost.
      const byName = await curl(`https://localhost:${port}/`, pki.ca);
      expect(JSON.parse(byName.body)).toEqual({ scheme: 'https' });
      expect(await servedCn(pki.dir, port, pki.ca)).toBe('localhost');
    });
  });

  it("certReqs 'required' refuses a client without a certificate at the handshake", async () => {
    await withServer({ caCerts: pki.ca, certReqs: 'required' }, async (url) => {
      const refused = await curl(`${url}/`, pki.ca);
      expect(refused.code).not.toBe(0);
      expect(refused.body).toBe('');
      const stranger = await curl(`${url}/`, pki.ca, [
        '--cert',
        pki.path('stranger.pem'),
        '--key',
        pki.path('stranger.key'),
      ]);
      expect(stranger.code).not.toBe(0);
      const admitted = await curl(`${url}/`, pki.ca, [
        '--cert',
        pki.path('client.pem'),
        '--key',
        pki.path('client.key'),
      ]);
      expect(JSON.parse(admitted.body)).toMatchObject({ SSL_CLIENT_VERIFY: 'SUCCESS' });
    });
  });

  it("certReqs 'optional': NONE without one, SUCCESS and the DNs with one, FAILED with a bad one", async () => {
    await withServer({ caCerts: pki.ca, certReqs: 'optional' }, async (url) => {
      const none = await curl(`${url}/`, pki.ca);
      expect(JSON.parse(none.body)).toEqual({ scheme: 'https', SSL_CLIENT_VERIFY: 'NONE' });
      const good = JSON.parse(
        (
          await curl(`${url}/`, pki.ca, [
            '--cert',
            pki.path('client.pem'),
            '--key',
            pki.path('client.key'),
          ])
        ).body,
      );
      expect(good).toMatchObject({
        scheme: 'https',
        SSL_CLIENT_VERIFY: 'SUCCESS',
        SSL_CLIENT_S_DN: 'CN=tsgi-client,O=TSGI Test',
        SSL_CLIENT_I_DN: 'CN=TSGI Test CA,O=TSGI Test',
      });
      expect(good.SSL_CLIENT_M_SERIAL).toMatch(/^[0-9A-F]+$/);
      expect(good.SSL_CLIENT_V_START).toMatch(/^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4} GMT$/);
      expect(good.SSL_CLIENT_V_END).toMatch(/ GMT$/);
      const bad = JSON.parse(
        (
          await curl(`${url}/`, pki.ca, [
            '--cert',
            pki.path('stranger.pem'),
            '--key',
            pki.path('stranger.key'),
          ])
        ).body,
      );
      expect(bad.SSL_CLIENT_VERIFY).toMatch(/^FAILED:[A-Z_]+/);
      expect(bad.SSL_CLIENT_S_DN).toBeUndefined();
    });
  });
});

describe('bad TLS files and options are named at start-up', () => {
  it('a missing file, a file that is not PEM, a key of another certificate', async () => {
    const notPem = pki.path('not-pem.pem');
    writeFileSync(notPem, 'hello\n');
    const missing = pki.path('missing.pem');
    await expect(serve(tlsEcho, { port: 0, ...files(), certfile: missing })).rejects.toThrow(
      `certfile ${missing}: cannot be read (no such file)`,
    );
    await expect(serve(tlsEcho, { port: 0, ...files(), certfile: notPem })).rejects.toThrow(
      `certfile ${notPem}: is not a PEM certificate`,
    );
    await expect(serve(tlsEcho, { port: 0, ...files(), keyfile: notPem })).rejects.toThrow(
      `keyfile ${notPem}: is not a PEM private key`,
    );
    await expect(
      serve(tlsEcho, { port: 0, ...files(), keyfile: pki.path('other.key') }),
    ).rejects.toThrow(
      `keyfile ${pki.path('other.key')}: does not match the certificate of certfile ${pki.path('server.pem')}`,
    );
    await expect(
      serve(tlsEcho, { port: 0, ...files(), caCerts: notPem, certReqs: 'optional' }),
    ).rejects.toThrow(`caCerts ${notPem}: is not a PEM certificate`);
  });

  it('certfile without keyfile, client options without the other, TLS on uwsgi', async () => {
    await expect(serve(tlsEcho, { port: 0, certfile: pki.path('server.pem') })).rejects.toThrow(
      'certfile needs keyfile',
    );
    await expect(serve(tlsEcho, { port: 0, keyfile: pki.path('server.key') })).rejects.toThrow(
      'keyfile needs certfile',
    );
    await expect(serve(tlsEcho, { port: 0, ...files(), certReqs: 'required' })).rejects.toThrow(
      "certReqs 'required' needs caCerts",
    );
    await expect(serve(tlsEcho, { port: 0, ...files(), caCerts: pki.ca })).rejects.toThrow(
      "caCerts is set but certReqs is 'none'",
    );
    expect(() => createListener(tlsEcho, 'uwsgi', files())).toThrow(
      'is for the http protocol only, not uwsgi',
    );
    expect(() => createListener(tlsEcho, 'fastcgi', files())).toThrow(
      'is for the http protocol only, not fastcgi',
    );
  });
});
