/**
 * Nginx in front: tsgi over uwsgi_pass, proxy_pass and fastcgi_pass, against Nginx →
 * raw node:http (the limit) and Nginx → uWSGI running the equivalent Python
 * WSGI app. Every contender sits behind deploy/nginx.conf (rendered for a temp
 * dir), with the same worker count (BENCH_WORKERS, default 2) and endpoint.
 * Three tables, all head to head (bench/head-to-head.ts): each tsgi path with
 * Nginx → raw node:http (the limit); each tsgi path with Nginx → uWSGI →
 * Python (the goals); fastcgi_pass with proxy_pass (CPU per request).
 * Bundles src/cli/main.ts first; needs Debian's nginx, uwsgi and
 * uwsgi-plugin-python3 (installed here with apt-get when missing and root).
 *
 *   tsx bench/nginx.ts        (BENCH_H2H_DURATION, BENCH_H2H_ROUNDS, BENCH_WORKERS)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runHeadToHead } from '../../../bench/head-to-head.ts';
import { buildCli } from '../test/cli/global-setup.ts';
import { findNginx, nginxVersion } from '../test/cli/nginx.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const workers = process.env.BENCH_WORKERS ?? '2';

function has(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const pythonPlugin = () =>
  existsSync('/usr/lib/uwsgi/plugins/python3_plugin.so') ||
  existsSync('/usr/lib/uwsgi/python3_plugin.so');
if (findNginx() === undefined || !has('uwsgi') || !pythonPlugin()) {
  if (process.getuid?.() === 0 && has('apt-get')) {
    console.log('installing nginx, uwsgi and uwsgi-plugin-python3 with apt-get');
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    execFileSync(
      'apt-get',
      ['install', '-y', '-qq', '--no-install-recommends', 'nginx', 'uwsgi', 'uwsgi-plugin-python3'],
      { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } },
    );
  } else {
    throw new Error(
      'bench/nginx.ts needs nginx, uwsgi and uwsgi-plugin-python3 (apt-get install them)',
    );
  }
}
// A bundle of src/cli/main.ts of its own, so a parallel `tsup --clean` of dist/ cannot break a run.
await buildCli(`${here}../node_modules/.cache/tsgi-bench`);

const own = JSON.parse(readFileSync(`${here}../package.json`, 'utf8')) as { version: string };
const uwsgiVersion = execFileSync('uwsgi', ['--version'], { encoding: 'utf8' }).trim();
const pythonVersion = execFileSync('python3', ['--version'], { encoding: 'utf8' }).trim();
const nginx = nginxVersion(findNginx()!).replace('nginx version: ', '');
const launch = (name: string, kind: string, version: string) => ({
  name,
  command: [process.execPath, '--import', 'tsx', 'nginx/launch.ts', kind],
  cwd: here,
  env: { BENCH_WORKERS: workers },
  version,
});

const contenders = {
  nodeHttp: launch(
    'nginx → node:http',
    'node-http',
    `${nginx} → node:http ${process.version} (cluster)`,
  ),
  proxy: launch('nginx → tsgi (proxy_pass)', 'tsgi-http', `@tsgi/node ${own.version} http`),
  uwsgi: launch('nginx → tsgi (uwsgi_pass)', 'tsgi-uwsgi', `@tsgi/node ${own.version} uwsgi`),
  fastcgi: launch(
    'nginx → tsgi (fastcgi_pass)',
    'tsgi-fastcgi',
    `@tsgi/node ${own.version} fastcgi`,
  ),
  python: launch('nginx → uWSGI+Python', 'uwsgi-python', `uWSGI ${uwsgiVersion}, ${pythonVersion}`),
};

// 1. Each tsgi path head to head with the limit, Nginx → raw node:http (both stacks at
// once, pinned to one CPU).
await runHeadToHead({
  title: `Behind Nginx (deploy/nginx.conf), each tsgi path head to head with Nginx → node:http (${workers} backend processes each)`,
  results: 'node-nginx',
  contenders: [contenders.nodeHttp, contenders.proxy, contenders.fastcgi, contenders.uwsgi],
});

// 2. The goals, head to head: each TSGI path against the tutorial's own stack,
// Nginx → uWSGI → Python.
await runHeadToHead({
  title: `Behind Nginx, head to head with Nginx → uWSGI → Python (${workers} backend processes each)`,
  results: 'node-nginx-h2h',
  contenders: [contenders.python, contenders.fastcgi, contenders.proxy, contenders.uwsgi],
});

// 3. What FastCGI saves against proxy_pass, head to head: CPU per request of the whole stack.
await runHeadToHead({
  title: `Behind Nginx, fastcgi_pass head to head with proxy_pass to tsgi (${workers} workers each)`,
  results: 'node-nginx-fastcgi-h2h',
  contenders: [contenders.proxy, contenders.fastcgi],
});
