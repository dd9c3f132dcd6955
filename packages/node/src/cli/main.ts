#!/usr/bin/env node
import cluster from 'node:cluster';
import { readFileSync } from 'node:fs';
import { logEvent } from '../log/event.js';
import { Master } from '../supervisor/master.js';
import { CONFIG_ENV } from '../supervisor/messages.js';
import { serverOptions } from '../supervisor/server-options.js';
import { runSingle, runWorker } from '../supervisor/worker.js';
import { resolveTls } from '../tls/options.js';
import { loadTls, TlsFileError } from '../tls/secure-context.js';
import { type CliConfig, resolveCommand, UsageError } from './config.js';
import { helpText } from './help.js';
import { reloadConflict } from './reload-conflict.js';
import { systemdFd } from './systemd.js';
import { runTop } from './top.js';

function version(): string {
  for (const path of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === '@tsgi/node') return pkg.version ?? 'unknown';
    } catch {
      // try the next place
    }
  }
  return 'unknown';
}

async function main(): Promise<void> {
  if (cluster.isWorker) {
    await runWorker(JSON.parse(process.env[CONFIG_ENV] ?? '{}') as CliConfig);
    return;
  }
  let command: ReturnType<typeof resolveCommand>;
  try {
    if (process.argv[2] === 'top') {
      await runTop(process.argv.slice(3));
      return;
    }
    command = resolveCommand(process.argv.slice(2), process.env);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`tsgi: ${error.message}\nRun \`tsgi --help\` for the options.\n`);
      process.exit(2);
    }
    throw error;
  }
  if (command.kind === 'help') {
    process.stdout.write(helpText());
    return;
  }
  if (command.kind === 'version') {
    process.stdout.write(`@tsgi/node ${version()} (node ${process.version})\n`);
    return;
  }
  const config = command.config;
  config.fd = systemdFd(process.env, process.pid);
  const conflict = reloadConflict(config);
  if (conflict !== undefined) {
    process.stderr.write(`tsgi: ${conflict}\n`);
    process.exit(2);
  }
  // A bad certificate, key or CA file stops the start here, named, before any worker runs.
  const tls = resolveTls(config.protocol, serverOptions(config, false));
  if (tls !== undefined) {
    try {
      loadTls(tls);
    } catch (error) {
      if (!(error instanceof TlsFileError)) throw error;
      process.stderr.write(`tsgi: ${error.message.replace(/^@tsgi\/node: /, '')}\n`);
      process.exit(1);
    }
  }
  // --reload needs the master's rolling reload, even for one worker.
  if (config.workers === 1 && !config.reload) {
    await runSingle(config);
  } else {
    await new Master(config).start();
  }
}

main().catch((error: unknown) => {
  logEvent(
    cluster.isWorker ? 'worker' : 'server',
    `error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  process.exit(1);
});
