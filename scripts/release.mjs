#!/usr/bin/env node
// `pnpm release [--dry-run]`: build every package, check what would be published
// (publint --strict, attw), then publish. See CONTRIBUTING.md, "Release".
//
// --dry-run  packs and reports every package `pnpm publish -r` would publish,
//            sends nothing to the registry, and does not care about git state.
// (none)     `changeset publish`: publishes each public package whose version
//            is not on the registry yet, and tags it in git. Refuses while
//            changesets are still pending (run `pnpm changeset version` first).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

function step(title, args) {
  console.log(`\n── ${title}: pnpm ${args.join(' ')}`);
  const result = spawnSync('pnpm', args, { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(
      `\npnpm release: "${title}" failed (exit status ${result.status}); nothing was published.`,
    );
    process.exit(1);
  }
}

let values;
try {
  ({ values } = parseArgs({ options: { 'dry-run': { type: 'boolean', default: false } } }));
} catch (error) {
  console.error(`pnpm release: ${error.message}\nusage: pnpm release [--dry-run]`);
  process.exit(1);
}
const dryRun = values['dry-run'];

const pending = readdirSync(new URL('../.changeset/', import.meta.url)).filter(
  (file) => file.endsWith('.md') && file !== 'README.md',
);
if (pending.length > 0) {
  const list = pending.map((file) => `  .changeset/${file}`).join('\n');
  if (!dryRun) {
    console.error(
      `pnpm release: ${pending.length} changeset(s) not applied yet:\n${list}\nRun \`pnpm changeset version\`, review and commit the new versions and CHANGELOG.md files, then release.`,
    );
    process.exit(1);
  }
  console.warn(
    `Note: ${pending.length} changeset(s) not applied yet, so this dry run shows the current versions:\n${list}`,
  );
}

step('build', ['run', 'build']);
step('check:publish', ['run', 'check:publish']);
if (dryRun) {
  step('publish (dry run)', ['publish', '-r', '--dry-run', '--no-git-checks']);
  console.log('\nDry run finished: the packages above would be published; nothing was sent.');
} else {
  step('publish', ['exec', 'changeset', 'publish']);
}
