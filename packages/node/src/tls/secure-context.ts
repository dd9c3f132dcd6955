import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import type { ResolvedTls } from './options.js';

/** A certificate, key or CA file that cannot serve: its message names the option, the file and the problem. */
export class TlsFileError extends Error {
  override name = 'TlsFileError';
}

const CERTIFICATE = '-----BEGIN CERTIFICATE-----';
const PRIVATE_KEY = /-----BEGIN (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----/;

function fail(option: string, path: string, problem: string): never {
  throw new TlsFileError(`@tsgi/node: ${option} ${path}: ${problem}`);
}

function read(option: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EACCES'
          ? 'permission denied'
          : code === 'EISDIR'
            ? 'is a directory'
            : (error as Error).message;
    return fail(option, path, `cannot be read (${why})`);
  }
}

function certificateIn(option: string, path: string, text: string): X509Certificate {
  if (!text.includes(CERTIFICATE)) {
    fail(option, path, `is not a PEM certificate (no "${CERTIFICATE}" line)`);
  }
  try {
    return new X509Certificate(text);
  } catch (error) {
    return fail(option, path, `holds no valid certificate (${(error as Error).message})`);
  }
}

function keyIn(path: string, text: string): KeyObject {
  if (!PRIVATE_KEY.test(text)) {
    fail('keyfile', path, 'is not a PEM private key (no "-----BEGIN … PRIVATE KEY-----" line)');
  }
  if (text.includes('ENCRYPTED'))
    fail('keyfile', path, 'is passphrase-protected; give it unencrypted');
  try {
    return createPrivateKey(text);
  } catch (error) {
    return fail('keyfile', path, `holds no usable private key (${(error as Error).message})`);
  }
}

/** The files of a TLS listener, read and checked: PEM texts for `tls.Server`'s options. */
export interface LoadedTls {
  readonly cert: string;
  readonly key: string;
  readonly ca: string | undefined;
  /** The served certificate (the first of `certfile`). */
  readonly certificate: X509Certificate;
}

/**
 * Reads `certfile`, `keyfile` and `caCerts` now and checks them: each must be
 * readable and PEM, the certificate and key must parse, and the key must be
 * the certificate's, and OpenSSL must take them together. Throws a
 * `TlsFileError` naming the option, the file and the problem.
 */
export function loadTls(tls: ResolvedTls): LoadedTls {
  const certText = read('certfile', tls.certfile);
  const certificate = certificateIn('certfile', tls.certfile, certText);
  const keyText = read('keyfile', tls.keyfile);
  const key = keyIn(tls.keyfile, keyText);
  if (!certificate.checkPrivateKey(key)) {
    fail('keyfile', tls.keyfile, `does not match the certificate of certfile ${tls.certfile}`);
  }
  let ca: string | undefined;
  if (tls.caCerts !== undefined) {
    ca = read('caCerts', tls.caCerts);
    certificateIn('caCerts', tls.caCerts, ca);
  }
  try {
    createSecureContext({ cert: certText, key: keyText, ca });
  } catch (error) {
    return fail('certfile', tls.certfile, `cannot serve (${(error as Error).message})`);
  }
  return { cert: certText, key: keyText, ca, certificate };
}
