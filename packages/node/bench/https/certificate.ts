/**
 * The throwaway certificate of the HTTPS benches: a self-signed P-256
 * certificate for 127.0.0.1 and localhost, made by the `openssl` CLI in a
 * `mkdtemp` folder and removed when the bench is done with it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A certificate and its key on disk, for the servers' `BENCH_CERTFILE` and `BENCH_KEYFILE`. */
export interface BenchCertificate {
  certfile: string;
  keyfile: string;
}

/**
 * Makes the certificate, runs `body` with it and removes its folder after,
 * whatever `body` does.
 */
export async function withCertificate<T>(
  body: (certificate: BenchCertificate) => Promise<T>,
): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'tsgi-bench-tls-'));
  try {
    const certificate = { certfile: join(dir, 'cert.pem'), keyfile: join(dir, 'key.pem') };
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        certificate.keyfile,
        '-out',
        certificate.certfile,
        '-subj',
        '/CN=localhost',
        '-days',
        '1',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'], timeout: 30_000 },
    );
    return await body(certificate);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
