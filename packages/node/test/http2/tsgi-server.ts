import { validate } from '@tsgi/spec';
import { type ServeOptions, serve, type TsgiServer } from '../../src/index.js';
import { makePki, type TestPki } from '../tls/certs.ts';
import type { H2Target } from './conformance.ts';
import { h2App } from './tsgi-app.ts';

/** A tsgi HTTPS server (h2 and http/1.1 by ALPN) of `h2App`, with its certificates. */
export interface TsgiH2 extends H2Target {
  readonly server: TsgiServer;
  readonly pki: TestPki;
  readonly url: string;
}

/**
 * Serves `h2App` over HTTPS on 127.0.0.1, a kernel port, with a certificate
 * for localhost from a fresh test CA; `close()` stops it and removes the files.
 * `hopByHop` leaves `validate()` off, for the app that sends hop-by-hop headers.
 */
export async function startTsgiH2(options: ServeOptions = {}, hopByHop = false): Promise<TsgiH2> {
  const pki = await makePki();
  await pki.issue('server', 'localhost');
  const server = await serve(hopByHop ? h2App : validate(h2App), {
    port: 0,
    certfile: pki.path('server.pem'),
    keyfile: pki.path('server.key'),
    ...options,
  });
  return {
    server,
    pki,
    url: server.address.url,
    port: server.address.port!,
    tls: true,
    close: async () => {
      try {
        await server.close();
      } finally {
        pki.remove();
      }
    },
  };
}

/** A tsgi cleartext HTTP/2 server (h2c by prior knowledge) of `h2App`, beside HTTP/1.1 unless `httpProtocols` says otherwise. */
export interface TsgiH2c extends H2Target {
  readonly server: TsgiServer;
  readonly url: string;
}

/** Serves `h2App` in cleartext on 127.0.0.1, a kernel port, with `httpProtocols` `['h2c', 'http/1.1']` unless `options` says otherwise. */
export async function startTsgiH2c(options: ServeOptions = {}): Promise<TsgiH2c> {
  const server = await serve(validate(h2App), {
    port: 0,
    httpProtocols: ['h2c', 'http/1.1'],
    ...options,
  });
  return {
    server,
    url: server.address.url,
    port: server.address.port!,
    tls: false,
    close: () => server.close(),
  };
}
