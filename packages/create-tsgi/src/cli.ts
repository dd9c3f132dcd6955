#!/usr/bin/env node
import { relative } from 'node:path';
import { HELP, readArgs } from './options.js';
import { complete } from './prompt.js';
import { scaffold } from './scaffold.js';

async function main(): Promise<void> {
  let command: ReturnType<typeof readArgs>;
  try {
    command = readArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`create-tsgi: ${(error as Error).message}\n\n${HELP}`);
    process.exit(2);
  }
  if (command.help) {
    process.stdout.write(HELP);
    return;
  }
  const options = await complete(command.options, command.yes);
  scaffold(options);
  const cd = relative(process.cwd(), options.dir) || '.';
  process.stdout.write(
    `\nMade ${cd} (${options.protocol ?? 'http'} behind Nginx). Next:\n\n` +
      `  cd ${cd}\n  npm install\n  npm run dev      # http://127.0.0.1:8000, reloads on change\n` +
      '  npm test\n\nDeploying behind Nginx: see its README.md.\n',
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`create-tsgi: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
