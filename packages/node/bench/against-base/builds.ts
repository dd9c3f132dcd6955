/**
 * The two builds of `@tsgi/node` that bench/against-base.ts holds against each
 * other: a git ref built in a worktree of its own outside the repository
 * (cached by commit), and the working tree's build, copied aside so that a
 * rebuild during the run (tsup cleans `dist/` first) cannot pull it from
 * under a server that is starting.
 *
 * Either build is a directory laid out like the repository, with
 * `packages/node/dist/index.js` and `packages/spec/dist/index.js`; its
 * `@tsgi/node` resolves `@tsgi/spec` to that directory's copy.
 */
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** One build to measure. */
export interface Build {
  /** A directory with `packages/node/dist` and `packages/spec/dist`. */
  tree: string;
  /** `tree`'s `packages/node/dist/index.js`, the main entry the servers import. */
  dist: string;
  /** What it is, for the table and its notes, e.g. `'base 5526116'`. */
  label: string;
  /** Where it was built and from what, for the notes. */
  origin: string;
}

/** File in a built worktree that says its build finished, holding the commit. */
const BUILT_MARK = '.tsgi-bench-built';

/** Runs a command, quiet unless it fails; then its output is thrown with the error. */
function run(command: string, args: string[], cwd: string): string {
  try {
    return execFileSync(command, args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    const output = `${failed.stdout ?? ''}${failed.stderr ?? ''}`.trim().split('\n').slice(-30);
    throw new Error(`${command} ${args.join(' ')} (in ${cwd}) failed:\n${output.join('\n')}`);
  }
}

/** The top directory of the git checkout holding `from`. */
export function repositoryRoot(from: string): string {
  return run('git', ['rev-parse', '--show-toplevel'], from).trim();
}

/** The full commit `ref` names in the repository at `root`, or an error naming the ref. */
export function resolveRef(root: string, ref: string): string {
  return run('git', ['rev-parse', '--verify', '--end-of-options', `${ref}^{commit}`], root).trim();
}

/** Whether `ref` names a commit in the repository at `root`. */
export function refExists(root: string, ref: string): boolean {
  try {
    resolveRef(root, ref);
    return true;
  } catch {
    return false;
  }
}

/** The two packages a server loads, as a tree: `@tsgi/node` and `@tsgi/spec`. */
function treeOf(tree: string, label: string, origin: string): Build {
  const dist = join(tree, 'packages/node/dist/index.js');
  for (const file of [dist, join(tree, 'packages/spec/dist/index.js')]) {
    if (!existsSync(file)) throw new Error(`${label}: ${file} is missing; did its build fail?`);
  }
  return { tree, dist, label, origin };
}

/** Installs the workspace's packages in `dir`, from pnpm's store when it has them all. */
function install(dir: string): void {
  try {
    run('pnpm', ['install', '--offline', '--frozen-lockfile'], dir);
  } catch {
    run('pnpm', ['install', '--frozen-lockfile'], dir);
  }
}

/**
 * The build of commit `ref`: a detached git worktree in
 * `os.tmpdir()/tsgi-bench-base-<commit>`, with its packages installed and
 * `@tsgi/node` and what it depends on built. A worktree whose build finished
 * before is used as it is; a half-made one is made again.
 *
 * @example
 * const base = buildRef('/work/main', 'origin/main', 'base');
 * // base.dist === '/tmp/tsgi-bench-base-5526116…/packages/node/dist/index.js'
 */
export function buildRef(root: string, ref: string, role: string): Build {
  const commit = resolveRef(root, ref);
  const short = commit.slice(0, 12);
  const dir = join(tmpdir(), `tsgi-bench-base-${short}`);
  const label = `${role} ${commit.slice(0, 7)}`;
  const origin = `${ref} = ${short}, built in ${dir}`;
  const mark = join(dir, BUILT_MARK);
  if (existsSync(mark) && readFileSync(mark, 'utf8').trim() === commit) {
    console.log(`${label}: using the build in ${dir}`);
    return treeOf(dir, label, origin);
  }
  console.log(`${label}: preparing a worktree of ${ref} in ${dir} (install, build)`);
  if (existsSync(dir)) {
    // a worktree left half made, or something else under that name: start again
    try {
      run('git', ['worktree', 'remove', '--force', dir], root);
    } catch {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  // forget worktrees whose directories are gone (a tmpdir cleaned since)
  run('git', ['worktree', 'prune'], root);
  run('git', ['worktree', 'add', '--detach', dir, commit], root);
  install(dir);
  run('pnpm', ['--filter', '@tsgi/node...', 'build'], dir);
  const build = treeOf(dir, label, origin);
  writeFileSync(mark, `${commit}\n`);
  return build;
}

/**
 * The working tree's build of `@tsgi/node` and `@tsgi/spec` (built first
 * unless `rebuild` is false), copied with their package.json files into a new
 * directory under `os.tmpdir()`, where `@tsgi/node` resolves `@tsgi/spec` to
 * the copy and its other dependencies to the working tree's. `remove()` drops
 * the copy.
 */
export function snapshotWorkingTree(root: string, rebuild: boolean): Build & { remove(): void } {
  const head = resolveRef(root, 'HEAD');
  const changed = run(
    'git',
    ['status', '--porcelain', '--', 'packages/node/src', 'packages/spec/src'],
    root,
  ).trim();
  const label = 'working tree';
  const origin = `the working tree at ${root}: HEAD ${head.slice(0, 12)}${changed === '' ? '' : ' with uncommitted changes'}`;
  if (rebuild) {
    console.log(`${label}: building @tsgi/node and @tsgi/spec`);
    run('pnpm', ['--filter', '@tsgi/node...', 'build'], root);
  }
  treeOf(root, label, origin);
  const copy = mkdtempSync(join(tmpdir(), 'tsgi-bench-new-'));
  for (const name of ['node', 'spec']) {
    const from = join(root, 'packages', name);
    const to = join(copy, 'packages', name);
    mkdirSync(to, { recursive: true });
    cpSync(join(from, 'package.json'), join(to, 'package.json'));
    cpSync(join(from, 'dist'), join(to, 'dist'), { recursive: true });
  }
  const pkg = JSON.parse(readFileSync(join(root, 'packages/node/package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  for (const dependency of Object.keys(pkg.dependencies ?? {})) {
    const link = join(copy, 'packages/node/node_modules', dependency);
    const real = join(root, 'packages/node/node_modules', dependency);
    mkdirSync(dirname(link), { recursive: true });
    if (dependency === '@tsgi/spec') symlinkSync(join(copy, 'packages/spec'), link, 'dir');
    else if (existsSync(real)) symlinkSync(realpathSync(real), link, 'dir');
  }
  return {
    ...treeOf(copy, label, `${origin}, copied to ${copy}`),
    remove: () => rmSync(copy, { recursive: true, force: true }),
  };
}
