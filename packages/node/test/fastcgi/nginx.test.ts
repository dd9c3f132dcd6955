/**
 * The FastCGI listener behind real Nginx (Debian's nginx with deploy/nginx.conf,
 * rendered by test/cli/nginx.ts): `tsgi serve --config` with deploy/tsgi-fastcgi.ini,
 * rendered for a temp dir, behind the port-8081 site (`fastcgi_pass`,
 * `fastcgi_keep_conn on`, an upstream `keepalive` pool), and an in-process
 * listener behind a second Nginx to count the upstream connections.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Application } from '@tsgi/spec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOUNDS, bound, guarded, until } from '../../../../tools/test-support/index.ts';
import { createListener } from '../../src/index.js';
import {
  findNginx,
  type NginxSites,
  type RunningNginx,
  renderDeployFile,
  startNginxOnHeldPorts,
} from '../cli/nginx.js';
import { startTsgi, stopTsgi, type Tsgi } from '../cli/run-tsgi.js';

const UPSTREAM_ERRORS =
  /upstream prematurely closed|recv\(\) failed|reset by peer|\[(?:error|crit|alert|emerg)\]/;

const dir = mkdtempSync(join(tmpdir(), 'tsgi-fcgi-nginx-'));
const markers = join(dir, 'markers');
let nginx: RunningNginx;
let tsgi: Tsgi;
let base: string;

function nginxBinary(): string {
  const binary = findNginx();
  if (binary === undefined) {
    throw new Error(
      'nginx is not installed: run scripts/install-system-deps.sh (apt-get install nginx)',
    );
  }
  return binary;
}

/**
 * deploy/nginx.conf in `at` on ports the kernel picked, the FastCGI upstream
 * on `fastcgiSocket`, the others unused.
 */
function startSites(
  at: string,
  fastcgiSocket: string,
): Promise<{ nginx: RunningNginx; sites: NginxSites }> {
  return startNginxOnHeldPorts(nginxBinary(), {
    dir: at,
    uwsgiSocket: join(at, 'unused-uwsgi.sock'),
    httpSocket: join(at, 'unused-http.sock'),
    fastcgiSocket,
  });
}

beforeAll(async () => {
  nginxBinary();
  mkdirSync(markers);
  // deploy/tsgi-fastcgi.ini as written, its /run/tsgi/ in the temp dir, its module the fixture.
  const ini = join(dir, 'tsgi-fastcgi.ini');
  writeFileSync(ini, renderDeployFile('tsgi-fastcgi.ini', dir, 'fastcgi.mjs'));
  tsgi = startTsgi(['serve', '--config', ini], {
    env: { TSGI_TEST_MARKERS: markers },
    wholeFile: true,
  });
  await tsgi.listening;
  const started = await startSites(dir, join(dir, 'tsgi-fastcgi.sock'));
  nginx = started.nginx;
  base = `http://127.0.0.1:${started.sites.fastcgiPort}`;
});

// Each step runs whatever the others do; the first error is the one reported.
afterAll(() =>
  guarded(
    () => nginx?.stop(),
    () => stopTsgi(tsgi),
    () => rmSync(dir, { recursive: true, force: true }),
  ),
);

/** One request over node:http, its status, raw headers and whole body (bounded: BOUNDS.short idle). */
function get(
  url: string,
  options: { method?: string; body?: Uint8Array[]; agent?: Agent } = {},
): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const init = {
      method: options.method ?? 'GET',
      timeout: bound(BOUNDS.short),
      agent: options.agent,
    };
    const req = httpRequest(url, init, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no response from ${url} in time`)));
    req.on('error', reject);
    // Several writes and no Content-Length: the client sends the body chunked.
    for (const piece of options.body ?? []) req.write(piece);
    req.end();
  });
}

function pattern(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 31 + (i >> 11)) & 0xff;
  return bytes;
}

function checksum(bytes: Uint8Array): { length: number; sum: number } {
  let sum = 0;
  for (let i = 0; i < bytes.length; i++) sum = (sum + bytes[i]!) % 1_000_000_007;
  return { length: bytes.length, sum };
}

describe('Nginx → tsgi over fastcgi_pass (deploy/tsgi-fastcgi.ini, 2 workers, Unix socket)', () => {
  it('runs the documented ini file: the FastCGI protocol on its socket', () => {
    expect(tsgi.stderr()).toMatch(/listening on unix:\S*tsgi-fastcgi\.sock \(fastcgi, 2 workers\)/);
  });

  it('answers a GET with a complete environ; location / (stock fastcgi_params) ignores SCRIPT_NAME', async () => {
    const response = await fetch(`${base}/env/x?q=a%20b&r`, { headers: { 'X-Custom': 'yes' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('server')).toMatch(/^nginx/);
    expect(response.headers.get('content-type')).toBe('application/json');
    const env = (await response.json()) as Record<string, unknown>;
    expect(env).toMatchObject({
      REQUEST_METHOD: 'GET',
      SCRIPT_NAME: '',
      PATH_INFO: '/env/x',
      QUERY_STRING: 'q=a%20b&r',
      REQUEST_URI: '/env/x?q=a%20b&r',
      SERVER_NAME: '127.0.0.1',
      REMOTE_ADDR: '127.0.0.1',
      HTTP_X_CUSTOM: 'yes',
      'tsgi.url_scheme': 'http',
      'tsgi.multiprocess': true,
    });
    expect(env).not.toHaveProperty('CONTENT_LENGTH');
    // Nginx's $fastcgi_script_name (the whole path) never leaks into the app.
    const decoded = (await (await fetch(`${base}/env/caf%C3%A9`)).json()) as Record<
      string,
      unknown
    >;
    expect(decoded).toMatchObject({ SCRIPT_NAME: '', PATH_INFO: '/env/café' });
  });

  it('location /api/ (fastcgi_split_path_info + PATH_INFO): SCRIPT_NAME /api and PATH_INFO the rest', async () => {
    const env = (await (await fetch(`${base}/api/env/items?x=1`)).json()) as Record<
      string,
      unknown
    >;
    expect(env).toMatchObject({
      SCRIPT_NAME: '/api',
      PATH_INFO: '/env/items',
      QUERY_STRING: 'x=1',
      REQUEST_URI: '/api/env/items?x=1',
    });
    const decoded = (await (await fetch(`${base}/api/env/caf%C3%A9`)).json()) as Record<
      string,
      unknown
    >;
    expect(decoded).toMatchObject({ SCRIPT_NAME: '/api', PATH_INFO: '/env/café' });
  });

  it('delivers a 6 MB POST body intact (digest), sent with a length and chunked', async () => {
    const upload = pattern(6 * 1024 * 1024);
    const response = await fetch(`${base}/digest`, { method: 'POST', body: upload });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(checksum(upload));
    // A chunked upload: Nginx buffers it and passes CONTENT_LENGTH.
    const pieces = [];
    for (let at = 0; at < upload.length; at += 1_000_000)
      pieces.push(upload.subarray(at, at + 1_000_000));
    const chunked = await get(`${base}/digest`, { method: 'POST', body: pieces });
    expect(chunked.status).toBe(200);
    expect(JSON.parse(chunked.body.toString())).toEqual(checksum(upload));
  });

  it('streams a response of many chunks without Content-Length; Nginx answers its client chunked', async () => {
    const response = await get(`${base}/stream?n=2000`);
    expect(response.status).toBe(200);
    expect(response.headers['content-length']).toBeUndefined();
    expect(response.headers['transfer-encoding']).toBe('chunked');
    let expected = '';
    for (let i = 0; i < 2000; i++) expected += `chunk ${i}\n`;
    expect(response.body.toString()).toBe(expected);
  });

  it('answers HEAD with the headers and no body, and the next request on the connection works', async () => {
    const head = await get(`${base}/env/head`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers['content-type']).toBe('application/json');
    expect(head.body.byteLength).toBe(0);
    const after = await fetch(`${base}/env/after`);
    expect(((await after.json()) as Record<string, unknown>).PATH_INFO).toBe('/env/after');
  });

  it("passes the app's 404 through with its body", async () => {
    const missing = await fetch(`${base}/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'not found', path: '/nope' });
  });

  it("a client that goes away mid-stream: Nginx drops the upstream request and the app's close() runs", async () => {
    const marker = join(markers, 'closed-abort1');
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest(`${base}/endless?id=abort1`, (res) => {
        res.once('data', () => {
          // The response is flowing: hang up.
          req.destroy();
          resolve();
        });
      });
      req.on('error', (error) => {
        if (!req.destroyed) reject(error);
      });
      req.setTimeout(bound(BOUNDS.short), () => reject(new Error('no first chunk in time')));
      req.end();
    });
    // Nginx notices and closes, and tsgi runs close().
    await until(() => existsSync(marker), {
      what: `the app's close() (${marker})`,
      details: tsgi.output,
    });
    // The worker is fine and serves the next request.
    expect((await fetch(`${base}/env/next`)).status).toBe(200);
  });

  it('Nginx logged no upstream errors', () => {
    expect(readFileSync(join(dir, 'logs', 'error.log'), 'utf8')).not.toMatch(UPSTREAM_ERRORS);
  });
});

describe('what Nginx does on the FastCGI side', () => {
  it('serves many sequential requests over a few kept-alive upstream connections', async () => {
    const sub = mkdtempSync(join(tmpdir(), 'tsgi-fcgi-conn-'));
    const socket = join(sub, 'fastcgi.sock');
    const app: Application = async (environ, startResponse) => {
      const body = await environ['tsgi.input'].read();
      startResponse('200 OK', [['Content-Type', 'text/plain']]);
      return [
        new TextEncoder().encode(
          `${environ.REQUEST_METHOD} ${environ.PATH_INFO} ${body.byteLength}`,
        ),
      ];
    };
    const listener = createListener(app, 'fastcgi', { keepAliveTimeout: 75_000 });
    // The connection each request came on (raw or net.Socket alike): a new one would add to it.
    const connections = new Set<unknown>();
    let requests = 0;
    listener.on('request', () => {
      requests++;
      for (const open of listener.transport.sockets()) connections.add(open);
    });
    await listener.listen({ socket });
    let second: RunningNginx | undefined;
    await guarded(
      async () => {
        const started = await startSites(sub, socket);
        second = started.nginx;
        const url = `http://127.0.0.1:${started.sites.fastcgiPort}`;
        // One kept-alive client connection: one Nginx worker serves it, and that worker's
        // upstream cache is all that decides how many FastCGI connections tsgi sees.
        const agent = new Agent({ keepAlive: true, maxSockets: 1 });
        let clientSockets = 0;
        try {
          for (let i = 0; i < 60; i++) {
            const post = i % 3 === 0;
            const response = await get(`${url}/n${i}`, {
              agent,
              ...(post ? { method: 'POST', body: [Buffer.from('hello')] } : {}),
            });
            expect(response.body.toString()).toBe(post ? `POST /n${i} 5` : `GET /n${i} 0`);
          }
          clientSockets = Object.values(agent.freeSockets).flat().length;
        } finally {
          agent.destroy();
        }
        expect(clientSockets).toBe(1);
        expect(requests).toBe(60);
        // Nginx took its cached upstream connection for every request after the first
        // (uwsgi_pass opens one per request: 60).
        expect(connections.size).toBe(1);
        expect(started.nginx.errorLog()).not.toMatch(UPSTREAM_ERRORS);
      },
      () => second?.stop(),
      () => listener.close(1000),
      () => rmSync(sub, { recursive: true, force: true }),
    );
  });
});
