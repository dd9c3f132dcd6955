#!/usr/bin/env node
import { baseUrl, runDemo } from './cli/demo.js';
import { environTable } from './cli/environ-table.js';
import { helpText } from './cli/help.js';
import { runMigrate } from './cli/migrate.js';
import { type CliCommand, parseCli, UsageError } from './cli/options.js';
import { runServer, serverEnv } from './cli/run-server.js';
import { environEnabled } from './environ-switch.js';

/**
 * Runs the `items-api` command line and resolves with the exit code: 0 done,
 * 1 failed (a ❌ in the demo, an error), 2 bad usage.
 */
async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  let command: CliCommand;
  try {
    command = parseCli(argv, env);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(
        `items-api: ${error.message}\nRun \`items-api --help\` for the options.\n`,
      );
      return 2;
    }
    throw error;
  }
  switch (command.kind) {
    case 'help':
      process.stdout.write(helpText());
      return 0;
    case 'environ':
      process.stdout.write(environTable());
      return 0;
    case 'migrate':
      await runMigrate(env);
      return 0;
    case 'demo':
      return (await runDemo(baseUrl(command.host, command.port))) ? 0 : 1;
    case 'server': {
      // Checked first: a bad ITEMS_ENVIRON would otherwise stop every worker.
      const environ = environEnabled(serverEnv(command, env));
      await runMigrate(env);
      const where =
        command.socket === undefined
          ? baseUrl(command.host, command.port)
          : `unix:${command.socket}`;
      process.stdout.write(
        `🚀 items-api (TSGI) on ${where}${command.protocol === undefined || command.protocol === 'http' ? '' : ` (${command.protocol} protocol)`}\n` +
          `   routes: GET /health | GET /items | POST /items | GET /items/:id${environ ? ' | GET /environ' : ' (GET /environ is off: --environ on enables it)'}\n` +
          '   Ctrl+C stops it\n',
      );
      return runServer(command);
    }
  }
}

main(process.argv.slice(2), process.env).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`items-api: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
