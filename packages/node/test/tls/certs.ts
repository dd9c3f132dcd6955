import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BOUNDS, bound } from '../../../../tools/test-support/index.ts';

const run = promisify(execFile);

/** Runs the `openssl` CLI in `cwd`; bounded by `BOUNDS.process`. */
export async function openssl(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await run('openssl', args, { cwd, timeout: bound(BOUNDS.process) });
  return stdout;
}

/** Certificates made for one test file in a `mkdtemp` folder, by the `openssl` CLI. */
export interface TestPki {
  /** The folder; `remove()` deletes it. */
  readonly dir: string;
  /** The CA's certificate (PEM), which signs the server and client certificates. */
  readonly ca: string;
  /** A path in `dir`. */
  path(name: string): string;
  /**
   * Makes `<name>.pem` and `<name>.key`: a certificate signed by the CA (or
   * self-signed with `selfSigned`) for `cn`, valid for 127.0.0.1 and localhost.
   */
  issue(name: string, cn: string, options?: { selfSigned?: boolean }): Promise<void>;
  remove(): void;
}

const KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

/** A CA (`ca.pem`, `ca.key`) in a fresh folder, ready to issue certificates. */
export async function makePki(): Promise<TestPki> {
  const dir = mkdtempSync(join(tmpdir(), 'tsgi-tls-'));
  const path = (name: string) => join(dir, name);
  await openssl(dir, [
    'req',
    '-x509',
    ...KEY,
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-subj',
    '/O=TSGI Test/CN=TSGI Test CA',
    '-days',
    '2',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  writeFileSync(
    path('leaf.ext'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n',
  );
  return {
    dir,
    ca: path('ca.pem'),
    path,
    async issue(name, cn, options = {}) {
      const subject = `/O=TSGI Test/CN=${cn}`;
      if (options.selfSigned === true) {
        await openssl(dir, [
          'req',
          '-x509',
          ...KEY,
          '-keyout',
          `${name}.key`,
          '-out',
          `${name}.pem`,
          '-subj',
          subject,
          '-days',
          '2',
        ]);
        return;
      }
      await openssl(dir, [
        'req',
        ...KEY,
        '-keyout',
        `${name}.key`,
        '-out',
        `${name}.csr`,
        '-subj',
        subject,
      ]);
      await openssl(dir, [
        'x509',
        '-req',
        '-in',
        `${name}.csr`,
        '-CA',
        'ca.pem',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        '-days',
        '2',
        '-extfile',
        'leaf.ext',
        '-out',
        `${name}.pem`,
      ]);
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The subject CN of the certificate a TLS server on `port` serves, as `openssl s_client` sees it. */
export async function servedCn(dir: string, port: number, ca: string): Promise<string> {
  const out = await new Promise<string>((resolve, reject) => {
    const child = execFile(
      'openssl',
      ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', 'localhost', '-CAfile', ca],
      { cwd: dir, timeout: bound(BOUNDS.process) },
      (error, stdout) => (error && stdout === '' ? reject(error) : resolve(stdout)),
    );
    child.stdin?.end();
  });
  const cn = /^subject=.*CN\s*=\s*([^,\n]+)/m.exec(out)?.[1];
  if (cn === undefined) throw new Error(`no subject in openssl s_client's output:\n${out}`);
  if (!/Verify return code: 0 \(ok\)/.test(out)) {
    throw new Error(`openssl s_client did not verify the certificate:\n${out}`);
  }
  return cn.trim();
}

/** Result of one `curl` run: exit code, body and stderr. */
export interface CurlResult {
  code: number;
  body: string;
  stderr: string;
}

/** `curl --http1.1 --cacert <ca> -sS <url> ...extra`, bounded by `BOUNDS.process`; never throws for curl's own failures. */
export async function curl(url: string, ca: string, extra: string[] = []): Promise<CurlResult> {
  try {
    const { stdout, stderr } = await run(
      'curl',
      [
        '--http1.1',
        '--cacert',
        ca,
        '-sS',
        '--max-time',
        String(bound(BOUNDS.process) / 1000),
        ...extra,
        url,
      ],
      { timeout: bound(BOUNDS.process) },
    );
    return { code: 0, body: stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return {
      code: typeof e.code === 'number' ? e.code : -1,
      body: e.stdout ?? '',
      stderr: e.stderr ?? '',
    };
  }
}
