import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOUNDS, bound } from '../../test-support/index.ts';
import { houseShape } from '../src/package-json.mjs';
import { copyWorkspace, type Run, run } from './workspace-copy.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = 'tools/new-package/src/cli.mjs';
const NAME = 'sample-thing';
const DIR = `packages/middleware-${NAME}`;
const PACKAGE = `@tsgi/middleware-${NAME}`;
const PAGE = `docs/packages/middleware-${NAME}.md`;
// What every generated middleware imports; built by turbo before this test
// runs (they are this package's devDependencies), and copied, not rebuilt.
const BUILT = ['packages/spec', 'packages/test-client'];

function expectSuccess(result: Run): void {
  if (result.status !== 0) throw new Error(`exit status ${result.status}\n${result.output}`);
}

function readJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, 'utf8'));
}

describe('pnpm new middleware <name>, in a copy of the workspace', () => {
  let copy = '';

  beforeAll(() => {
    copy = copyWorkspace(ROOT, BUILT);
  });

  afterAll(() => {
    if (copy !== '' && process.env.KEEP_GENERATOR_COPY === undefined) {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('writes the package and its changeset, then links it with pnpm install', async () => {
    const result = await run('node', [CLI, 'middleware', NAME], copy);
    expectSuccess(result);
    expect(result.output).toContain(`Created ${PACKAGE} in ${DIR}`);
    expect(existsSync(join(copy, DIR, 'node_modules', '@tsgi', 'test-client'))).toBe(true);
    expect(readFileSync(join(copy, 'pnpm-lock.yaml'), 'utf8')).toContain(`\n  ${DIR}:\n`);
    const files = readdirSync(join(copy, DIR), { recursive: true, encoding: 'utf8' })
      .filter((file) => !file.startsWith('node_modules'))
      .sort();
    expect(files).toEqual(
      [
        'README.md',
        'package.json',
        'src',
        `src/${NAME}.ts`,
        'src/index.ts',
        'src/options.ts',
        'test',
        `test/${NAME}.test.ts`,
        'test/readme.test.ts',
        'tsconfig.json',
        'tsup.config.ts',
        'vitest.config.ts',
      ].sort(),
    );
    const changeset = readFileSync(join(copy, `.changeset/middleware-${NAME}-initial.md`), 'utf8');
    expect(changeset).toMatch(new RegExp(`^---\\n"${PACKAGE}": minor\\n---\\n`));
  });

  it("writes its site page, and lists it in the docs package for the page's examples", () => {
    const page = readFileSync(join(copy, PAGE), 'utf8');
    const order = Math.max(
      ...readdirSync(join(ROOT, 'docs/packages'), { recursive: true, encoding: 'utf8' })
        .filter((file) => /^[^/]+\.md$|^[^/]+\/index\.md$/.test(file))
        .map((file) => readFileSync(join(ROOT, 'docs/packages', file), 'utf8'))
        .map((text) => Number(/^order: (\d+)$/m.exec(text)?.[1] ?? 0)),
    );
    expect(page).toMatch(
      new RegExp(`^---\\ntitle: '${PACKAGE}'\\norder: ${order + 1}\\n---\\n\\n# ${PACKAGE}\\n`),
    );
    expect(page).toContain('[ESM only](../guide/esm.md)');
    expect(page).toContain(`## \`sampleThing(app, options?)\``);
    expect(page).toContain('### Options');
    // The page's example is the README's, which test/readme.test.ts runs.
    const example = (text: string) => /```ts\n([\s\S]*?)```/.exec(text)?.[1];
    const readme = readFileSync(join(copy, DIR, 'README.md'), 'utf8');
    expect(example(page)).toBeDefined();
    expect(example(page)).toBe(example(readme));
    const docs = readJson(join(copy, 'docs/package.json')) as {
      devDependencies: Record<string, string>;
    };
    expect(docs.devDependencies[PACKAGE]).toBe('workspace:*');
    const names = Object.keys(docs.devDependencies);
    expect(names).toEqual([...names].sort());
    expect(existsSync(join(copy, 'docs/node_modules', PACKAGE))).toBe(true);
  });

  it('exports sampleThing(app, options) and opens its README with a usage example', () => {
    expect(readFileSync(join(copy, DIR, 'src/index.ts'), 'utf8')).toContain(
      `export { sampleThing } from './${NAME}.js';`,
    );
    const readme = readFileSync(join(copy, DIR, 'README.md'), 'utf8');
    expect(readme.split('\n').slice(0, 12).join('\n')).toMatch(
      new RegExp(
        `^# ${PACKAGE}\\n\\n.+\\n\\n\`\`\`sh\\nnpm install ${PACKAGE}\\n\`\`\`\\n\\n.+\\n\\n\`\`\`ts\\n`,
      ),
    );
    expect(readme).toContain(`import { sampleThing } from '${PACKAGE}';`);
    expect(readme).toMatch(/The package is ESM only .*\]\(\.\.\/\.\.\/docs\/guide\/esm\.md\)/);
    expect(readme).toContain(`](../../${PAGE})`);
    expect(Buffer.byteLength(readme)).toBeLessThanOrEqual(10 * 1024);
  });

  it('gives it the same package.json house fields as every middleware sibling', () => {
    const generated = houseShape(readJson(join(copy, DIR, 'package.json')));
    const siblings = readdirSync(join(ROOT, 'packages')).filter(
      (dir) =>
        dir.startsWith('middleware-') && existsSync(join(ROOT, 'packages', dir, 'package.json')),
    );
    expect(siblings.length).toBeGreaterThanOrEqual(2);
    for (const sibling of siblings) {
      const shape = houseShape(readJson(join(ROOT, 'packages', sibling, 'package.json')));
      expect({ sibling, ...generated }).toEqual({ sibling, ...shape });
    }
  });

  it('passes lint and format as generated', async () => {
    expectSuccess(await run('pnpm', ['exec', 'biome', 'check', DIR], copy));
  });

  it('passes its own tests, typecheck, build and check:publish (publint, attw)', async () => {
    if (!BUILT.every((dir) => existsSync(join(copy, dir, 'dist')))) {
      const filters = BUILT.map((dir) => `--filter=./${dir}`);
      expectSuccess(await run('pnpm', ['exec', 'turbo', 'run', 'build', ...filters], copy));
    }
    // test, typecheck and build do not depend on each other; check:publish packs the build.
    const side = await Promise.all(
      ['test', 'typecheck', 'build'].map((script) =>
        run('pnpm', ['--filter', PACKAGE, 'run', script], copy),
      ),
    );
    for (const result of side) expectSuccess(result);
    expectSuccess(await run('pnpm', ['--filter', PACKAGE, 'run', 'check:publish'], copy));
    expect(existsSync(join(copy, DIR, 'dist', 'index.d.ts'))).toBe(true);
  });

  it('becomes 0.1.0 with a CHANGELOG.md after pnpm changeset version', async () => {
    // Only this package's changeset: the other pending ones belong to other work.
    for (const file of readdirSync(join(copy, '.changeset'))) {
      if (
        file.endsWith('.md') &&
        file !== 'README.md' &&
        file !== `middleware-${NAME}-initial.md`
      ) {
        rmSync(join(copy, '.changeset', file));
      }
    }
    expectSuccess(await run('pnpm', ['changeset', 'version'], copy));
    expect(readJson(join(copy, DIR, 'package.json')).version).toBe('0.1.0');
    const changelog = readFileSync(join(copy, DIR, 'CHANGELOG.md'), 'utf8');
    expect(changelog).toContain(`# ${PACKAGE}\n\n## 0.1.0\n\n### Minor Changes`);
    expect(existsSync(join(copy, `.changeset/middleware-${NAME}-initial.md`))).toBe(false);
  });
});

describe('pnpm new refuses bad input with a clear error and writes nothing', () => {
  const cases: Array<[string[], RegExp]> = [
    [['middleware'], /missing the middleware name/],
    [['middleware', 'Foo_Bar'], /"Foo_Bar" is not a kebab-case name/],
    [['middleware', 'two--hyphens'], /not a kebab-case name/],
    [['middleware', 'middleware-foo'], /without the "middleware-" prefix: pnpm new middleware foo/],
    [['middleware', 'timing'], /packages\/middleware-timing already exists/],
    [['middleware', 'delete'], /"delete", a reserved word/],
    [['widget', 'foo'], /unknown kind "widget"; this generator makes: middleware/],
    [['middleware', 'foo', 'bar'], /unexpected arguments: bar/],
  ];
  for (const [args, message] of cases) {
    it(`pnpm new ${args.join(' ')}`, async () => {
      const listing = () => [
        ...readdirSync(join(ROOT, 'packages')),
        ...readdirSync(join(ROOT, '.changeset')),
      ];
      const before = listing().sort();
      const result = await run('node', [CLI, ...args], ROOT, bound(BOUNDS.short));
      expect(result.status).toBe(1);
      expect(result.output).toMatch(message);
      expect(result.output).not.toMatch(/\n\s+at /); // a message, not a stack trace
      expect(listing().sort()).toEqual(before);
    });
  }
});
