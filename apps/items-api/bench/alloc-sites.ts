/**
 * Where a server allocates per request: one contender of bench/servers/ under
 * items-api's request mix (`wrk -t1 -c32 -s mix.lua`), with the sampling heap
 * profiler of bench/memory-probe.cjs on for BENCH_PROFILE_DURATION seconds
 * (default 5) after a 2 s warm-up. The profile keeps the objects the GC has
 * collected (Node's `--heap-prof` drops them), so it shows the garbage made
 * per request, not what stays. Prints the top allocation sites (function, its
 * source file and line, mapped through the packages' source maps, share of
 * the sampled bytes, bytes per request) and the share of each package. A
 * profile of one process, printed only. BENCH_NODE_FLAGS adds Node flags to
 * the server (`--no-turbo-inlining` keeps inlined callees in rows of their own).
 *
 *   pnpm --filter items-api bench:sites [items-api|bare|router|cors|timing|request-id|fastify|node-http]
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  envNumber,
  findTaskset,
  findWrk,
  runWrkAsync,
  startContender,
} from '../../../bench/harness.ts';
import { askProbe, type ProbeWindow, probed } from '../../../bench/memory.ts';
import { markdownTable } from '../../../bench/results.ts';
import {
  databaseCopy,
  fastifyTwin,
  MIX_SCRIPT,
  makeTemplate,
  nodeHttp,
  tsgiStack,
} from './contenders.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const TOP = 25;

interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  selfSize: number;
  children: ProfileNode[];
}

const maps = new Map<string, SourceMap | undefined>();
/** The source map beside a built file (`x.js.map`), once per file. */
function sourceMap(file: string): SourceMap | undefined {
  if (!maps.has(file)) {
    const path = `${file}.map`;
    maps.set(
      file,
      existsSync(path) ? new SourceMap(JSON.parse(readFileSync(path, 'utf8'))) : undefined,
    );
  }
  return maps.get(file);
}

/** `file:line` of a frame, in the source (`packages/spec/src/x.ts:12`) when a source map knows it. */
function where({ url, lineNumber, columnNumber }: ProfileNode['callFrame']): string {
  if (url === '') return '(native)';
  // ES modules are named by file: URLs, CommonJS modules by their path.
  if (!url.startsWith('file:') && !url.startsWith('/')) return `${url}:${lineNumber + 1}`;
  const file = url.startsWith('file:') ? fileURLToPath(url) : url;
  const entry = sourceMap(file)?.findEntry(lineNumber, columnNumber) as
    | { originalSource?: string; originalLine?: number }
    | undefined;
  if (entry?.originalSource !== undefined && entry.originalLine !== undefined) {
    const source = entry.originalSource.startsWith('file:')
      ? fileURLToPath(entry.originalSource)
      : resolve(dirname(file), entry.originalSource);
    return `${relative(ROOT, source)}:${entry.originalLine + 1}`;
  }
  return `${relative(ROOT, file)}:${lineNumber + 1}`;
}

/** The package a location belongs to: `@tsgi/spec`, `items-api`, `fastify`, `node:internal`, … */
function area(location: string): string {
  if (location.startsWith('node:')) return 'Node.js (node:*)';
  const own = /^(packages|apps)\/([^/]+)\//.exec(location);
  if (own !== null) return own[1] === 'packages' ? `@tsgi/${own[2]}` : own[2]!;
  const dependency = /node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(
    location,
  );
  if (dependency !== null) return dependency[1]!;
  return location.startsWith('(') ? location : 'bench/servers';
}

const which = process.argv[2] ?? 'items-api';
const wrk = findWrk();
if (wrk === undefined) {
  console.log('skipped: needs wrk (apt-get install wrk)');
  process.exit(0);
}
const pinned = findTaskset() !== undefined && cpus().length >= 2;
const [serverCpu, loadCpu] = pinned ? ['0', '1'] : [undefined, undefined];
const seconds = envNumber('BENCH_PROFILE_DURATION', 5);
const dir = mkdtempSync(join(tmpdir(), 'items-api-alloc-sites-'));
try {
  const template = await makeTemplate(dir);
  const env = {
    DATABASE_URL: databaseCopy(template, dir, 'server'),
    ITEMS_PAGE: template.page,
    NODE_ENV: 'production',
  };
  const contender =
    which === 'fastify'
      ? fastifyTwin(env)
      : which === 'node-http'
        ? nodeHttp(env)
        : tsgiStack(which, which, env);
  const socket = join(dir, 'probe.sock');
  const withProbe = probed(contender, socket);
  // BENCH_NODE_FLAGS, e.g. --no-turbo-inlining: bytes of an inlined callee then count for it.
  const flags = process.env.BENCH_NODE_FLAGS?.split(' ').filter((flag) => flag !== '') ?? [];
  const [node, ...rest] = withProbe.command;
  withProbe.command = [node!, ...flags, ...rest];
  const server = await startContender(withProbe, serverCpu);
  const file = join(dir, 'profile.heapprofile');
  let requests = 0;
  let window: ProbeWindow;
  try {
    await runWrkAsync(wrk, server.url, 2, 32, loadCpu, MIX_SCRIPT);
    await askProbe(socket, 'profile-start 8192');
    await askProbe(socket, 'start');
    requests = (await runWrkAsync(wrk, server.url, seconds, 32, loadCpu, MIX_SCRIPT)).requests;
    window = await askProbe<ProbeWindow>(socket, 'stop');
    await askProbe(socket, `profile-stop ${file}`);
  } finally {
    await server.stop();
  }
  const sites = new Map<string, { fn: string; at: string; bytes: number }>();
  let sampled = 0;
  const walk = (node: ProfileNode) => {
    if (node.selfSize > 0) {
      const at = where(node.callFrame);
      const fn = node.callFrame.functionName || '(anonymous)';
      const key = `${fn} ${at}`;
      const site = sites.get(key) ?? { fn, at, bytes: 0 };
      site.bytes += node.selfSize;
      sites.set(key, site);
      sampled += node.selfSize;
    }
    for (const child of node.children) walk(child);
  };
  walk((JSON.parse(readFileSync(file, 'utf8')) as { head: ProfileNode }).head);
  const perRequest = window.allocated / requests;
  const share = (bytes: number) => `${((100 * bytes) / sampled).toFixed(1)} %`;
  const estimate = (bytes: number) => Math.round((bytes / sampled) * perRequest).toString();
  const ranked = [...sites.values()].sort((a, b) => b.bytes - a.bytes);
  const areas = new Map<string, number>();
  for (const site of ranked) areas.set(area(site.at), (areas.get(area(site.at)) ?? 0) + site.bytes);
  const inlining = flags.length > 0 ? ` Node flags: ${flags.join(' ')}.` : '';
  console.log(`\n## Allocation sites of ${contender.name} (${which}) under items-api's mix\n`);
  console.log(
    [
      `${seconds} s of \`wrk -t1 -c32 -s mix.lua\`, ${requests} requests, ${Math.round(perRequest)} bytes allocated per request (probe); sampled ${Math.round(sampled / 1e6)} MB of ${Math.round(window.allocated / 1e6)} MB, one sample per 8 KiB on average.`,
      'A site is the JavaScript function running when V8 allocated (built-ins such as JSON.stringify count for their caller); its line is where the function starts.',
      `TurboFan inlines small functions into their callers, whose rows then hold their bytes (\`BENCH_NODE_FLAGS=--no-turbo-inlining\` keeps them apart, at some cost to what escape analysis removes).${inlining}\n`,
    ].join(' '),
  );
  console.log(
    markdownTable(
      ['function', 'where', 'share of bytes', 'bytes per request'],
      ranked.slice(0, TOP).map((s) => [s.fn, s.at, share(s.bytes), estimate(s.bytes)]),
      2,
    ),
  );
  console.log(
    `\n${markdownTable(
      ['package', 'share of bytes', 'bytes per request'],
      [...areas.entries()]
        .sort((a, b) => b[1] - a[1])
        .map(([name, bytes]) => [name, share(bytes), estimate(bytes)]),
    )}`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
