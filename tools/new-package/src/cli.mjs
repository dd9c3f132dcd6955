#!/usr/bin/env node
// `pnpm new <kind> <name> [--description <text>] [--no-install]`: see CONTRIBUTING.md,
// "Add a middleware package".
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createMiddleware } from './create-middleware.mjs';
import { formatFiles } from './format.mjs';
import { installWorkspace } from './install.mjs';
import { UsageError } from './names.mjs';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const KINDS = ['middleware'];
const USAGE = 'usage: pnpm new middleware <name> [--description "<one sentence>"] [--no-install]';

function main(argv) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        description: { type: 'string' },
        'no-install': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError(`${error.message}\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const [kind, name, ...extra] = positionals;
  if (kind === undefined) throw new UsageError(USAGE);
  if (!KINDS.includes(kind)) {
    throw new UsageError(
      `unknown kind "${kind}"; this generator makes: ${KINDS.join(', ')}\n${USAGE}`,
    );
  }
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}\n${USAGE}`);

  const created = createMiddleware(ROOT, name, values.description);
  console.log(`Created ${created.packageName} in ${created.dir}:`);
  for (const file of created.files) console.log(`  ${file}`);
  for (const file of created.changed) console.log(`  ${file} (lists it, for the site's examples)`);

  if (!values['no-install']) {
    console.log('\nLinking it into the workspace (pnpm install, offline first)…');
    if (!installWorkspace(ROOT)) {
      console.error(
        '\npnpm install failed (see above). The files are written; run `pnpm install` yourself.',
      );
      process.exitCode = 1;
      return;
    }
  }

  // After the install: in a fresh clone, Biome itself arrives with it.
  if (!formatFiles(ROOT, [...created.files, ...created.changed])) {
    console.warn('(not formatted: run `pnpm format` once the workspace is installed)');
  }

  const filter = `pnpm --filter ${created.packageName}`;
  console.log(`
Next:
  ${filter} test            # the generated test runs it under validate()
  ${filter} typecheck
  ${filter} build
  ${filter} check:publish   # publint --strict and attw
Then write the middleware in ${created.dir}/src/${name}.ts, its tests, its README
and its reference page docs/packages/middleware-${name}.md, edit the changeset
.changeset/middleware-${name}-initial.md, and add a row for it to the package
table in the root README.md.`);
}

try {
  main(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(`pnpm new: ${error.message}`);
  process.exitCode = 1;
}
