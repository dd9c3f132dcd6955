import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The layers of `src/`, top down: a folder imports only from folders after
 * it in this list (the folders of one entry share a level and never import
 * each other). The "Where things are" table of docs/packages/node/internals.md
 * lists them in this order.
 */
const LAYERS: readonly (readonly string[])[] = [
  ['cli'],
  ['supervisor'],
  ['listener'],
  ['http2'],
  ['http', 'uwsgi', 'fastcgi'],
  ['tls'],
  ['lifecycle'],
  ['websocket'],
  ['cgi'],
  ['wire'],
  ['options'],
  ['response'],
  ['metrics'],
  ['request'],
  ['log'],
  ['contracts'],
];

/** The files at the top of `src/` that are package entries, importing any layer. */
const ENTRIES = ['index.ts', 'internals.ts'];

/** At most this many runtime names in the main entry (`@tsgi/node`). */
const FRONT_DOOR_LIMIT = 15;

const src = fileURLToPath(new URL('../src/', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The `src/` files `file` imports (static, dynamic, type-only and re-exports alike). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g);
  return [...specifiers].map(([, specifier]) =>
    resolve(dirname(file), specifier!).replace(/\.js$/, '.ts'),
  );
}

/** The top folder of a `src/` file, or its name for a file at the top. */
function folderOf(file: string): string {
  return relative(src, file).split('/')[0]!;
}

function levelOf(folder: string): number {
  return LAYERS.findIndex((layer) => layer.includes(folder));
}

describe('the layers of src/', () => {
  const files = sourceFiles(src);

  it('has every folder in a layer, and every top file is an entry', () => {
    const folders = new Set(files.map(folderOf));
    const unplaced = [...folders].filter((f) => levelOf(f) === -1 && !ENTRIES.includes(f));
    expect(unplaced).toEqual([]);
    expect(LAYERS.flat().filter((folder) => !folders.has(folder))).toEqual([]);
  });

  it('imports only downward: no folder reaches a layer above it or beside it', () => {
    const upward: string[] = [];
    let crossing = 0;
    for (const file of files) {
      const from = folderOf(file);
      if (ENTRIES.includes(from)) continue;
      for (const target of importsOf(file)) {
        const to = folderOf(target);
        if (to === from) continue;
        crossing++;
        if (ENTRIES.includes(to) || levelOf(to) <= levelOf(from)) {
          upward.push(`${relative(src, file)} imports ${relative(src, target)}`);
        }
      }
    }
    expect(upward).toEqual([]);
    expect(crossing).toBeGreaterThan(100);
  });

  it('keeps the supervisor free of the CLI: it runs the config object it is given', () => {
    const reaching = files
      .filter((file) => folderOf(file) === 'supervisor')
      .filter((file) => importsOf(file).some((target) => folderOf(target) === 'cli'));
    expect(reaching).toEqual([]);
  });

  it('keeps every source file under 300 lines', () => {
    const long = files
      .map((file) => [relative(src, file), readFileSync(file, 'utf8').split('\n').length - 1])
      .filter(([, lines]) => (lines as number) > 300);
    expect(long).toEqual([]);
  });

  it('lists the layers on the internals page in this order', () => {
    const page = readFileSync(
      new URL('../../../docs/packages/node/internals.md', import.meta.url),
      'utf8',
    );
    const section = page.slice(page.indexOf('## Where things are'));
    const rows = [...section.matchAll(/^\| `src\/([a-z0-9-]+)\/` \|/gm)].map(
      ([, folder]) => folder,
    );
    expect(rows).toEqual(LAYERS.flat());
  });
});

describe('the entries', () => {
  it(`keeps the main entry to at most ${FRONT_DOOR_LIMIT} runtime names`, async () => {
    const main = await import('../src/index.js');
    expect(Object.keys(main).length).toBeLessThanOrEqual(FRONT_DOOR_LIMIT);
  });

  it('gives every subpath of package.json an entry of tsup, and the reverse', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      exports: Record<string, unknown>;
    };
    const subpaths = Object.keys(pkg.exports).filter((key) => key !== './package.json');
    const config = readFileSync(new URL('../tsup.config.ts', import.meta.url), 'utf8');
    const entries = [...config.matchAll(/^ {2}([a-z]+): 'src\//gm)].map(([, name]) => name);
    expect(subpaths.map((key) => (key === '.' ? 'index' : key.slice(2))).sort()).toEqual(
      entries.sort(),
    );
  });
});
