/**
 * Installs the pinned Bun and Deno once per test run, through
 * scripts/runtime-bin.sh (a registry download the first time, the cache in
 * ~/.cache/tsgi after that), and hands their paths to the tests as
 * `inject('bunBin')` and `inject('denoBin')`.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';
import { BOUNDS, bound } from '../../../../tools/test-support/index.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The pinned `bun` binary. */
    bunBin: string;
    /** The pinned `deno` binary. */
    denoBin: string;
  }
}

const SCRIPT = fileURLToPath(new URL('../../../../scripts/runtime-bin.sh', import.meta.url));

/** The path scripts/runtime-bin.sh prints for `runtime`, after installing it if need be. */
async function runtimeBin(runtime: 'bun' | 'deno'): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)('bash', [SCRIPT, runtime], {
      timeout: bound(BOUNDS.slow),
    });
    return stdout.trim();
  } catch (error) {
    const { stderr } = error as { stderr?: string };
    throw new Error(`scripts/runtime-bin.sh ${runtime} failed:\n${stderr ?? String(error)}`);
  }
}

export default async function setup(project: TestProject): Promise<void> {
  const [bun, deno] = await Promise.all([runtimeBin('bun'), runtimeBin('deno')]);
  project.provide('bunBin', bun);
  project.provide('denoBin', deno);
}
