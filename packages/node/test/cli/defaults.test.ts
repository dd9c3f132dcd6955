import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FLAGS, shownDefault } from '../../src/cli/flags.js';
import { helpText } from '../../src/cli/help.js';
import { defaults } from '../../src/index.js';

/** A page of the site's @tsgi/node reference, in docs/packages/node/. */
const page = (name: string) =>
  readFileSync(new URL(`../../../../docs/packages/node/${name}`, import.meta.url), 'utf8');
/** The page with serve()'s option tables and close({ timeout }). */
const servePage = page('serve.md');
/** The page with the CLI's option table. */
const cliPage = page('cli.md');

/** The rows of every Markdown table in `text` whose header starts with `| option | default |`. */
function optionRows(text: string): string[][] {
  const rows: string[][] = [];
  let inTable = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('| option | default |')) inTable = true;
    else if (!line.startsWith('|')) inTable = false;
    else if (inTable && !line.startsWith('|---')) {
      rows.push(line.split(' | ').map((cell) => cell.replace(/^\| ?| ?\|$/g, '').trim()));
    }
  }
  return rows;
}

/** A default cell's first code span as a value: `1_048_576` → 1048576, `'x'` → 'x'. */
function codeValue(cell: string): unknown {
  const code = /^`([^`]*)`/.exec(cell)?.[1];
  if (code === undefined) return undefined;
  if (/^[\d_]+$/.test(code)) return Number(code.replaceAll('_', ''));
  if (/^0o[0-7]+$/.test(code)) return Number.parseInt(code.slice(2), 8);
  if (code === 'true' || code === 'false') return code === 'true';
  if (code.startsWith('[')) return JSON.parse(code.replaceAll("'", '"')) as unknown;
  return code.replace(/^'(.*)'$/, '$1');
}

const libraryRows = optionRows(servePage).filter((row) => /^`[a-zA-Z0-9]+`$/.test(row[0]!));
const cliRows = optionRows(cliPage).filter((row) => row[0]!.startsWith('`--'));

describe('the reference pages state the defaults of `defaults`', () => {
  it('in the option tables of serve() (serve.md)', () => {
    const table = Object.fromEntries(libraryRows.map((row) => [row[0]!.slice(1, -1), row[1]!]));
    const checked: string[] = [];
    for (const [key, cell] of Object.entries(table)) {
      if (!(key in defaults)) continue;
      checked.push(key);
      expect([key, codeValue(cell)]).toEqual([key, defaults[key as keyof typeof defaults]]);
    }
    // Every library option with a default has its row.
    expect(checked.sort()).toEqual(
      [
        'bodyLimit',
        'maxUrlLength',
        'maxHeadersCount',
        'maxHeaderSize',
        'headersTimeout',
        'requestTimeout',
        'keepAliveTimeout',
        'idleTimeout',
        'websocketMaxMessage',
        'websocketPingInterval',
        'websocketDeflate',
        'scriptName',
        'debug',
        'multiprocess',
        'accessLog',
        'metrics',
        'host',
        'port',
        'backlog',
        'socketMode',
        'sockets',
        'certReqs',
        'httpProtocols',
        'http2MaxConcurrentStreams',
      ].sort(),
    );
  });

  it('for close({ timeout })', () => {
    const line = /`close\(\{ timeout \}\)`[\s\S]*?\(default ([\d_]+)/.exec(servePage);
    expect(Number(line?.[1]?.replace(/[_ ]/g, ''))).toBe(defaults.closeTimeout);
  });

  it('in the CLI table (cli.md), the way --help shows them, for every flag', () => {
    const seen = new Set<string>();
    for (const row of cliRows) {
      const names = [...row[0]!.matchAll(/`--([a-z0-9-]+)`/g)].map((m) => m[1]!);
      const cells = row[1]!.split(', ');
      const values = cells.length === names.length ? cells : names.map(() => row[1]!);
      names.forEach((name, i) => {
        const flag = FLAGS.find((f) => f.name === name);
        expect(flag, `--${name} in cli.md is a flag`).toBeDefined();
        seen.add(name);
        const stated = values[i]!.replaceAll('`', '').replace(/ \(off\)$/, '');
        expect([name, stated]).toEqual([name, shownDefault(flag!) ?? '–']);
      });
    }
    expect([...seen].sort()).toEqual(FLAGS.map((f) => f.name).sort());
  });

  it('and --help shows the same ones', () => {
    const help = helpText();
    for (const flag of FLAGS) {
      const shown = shownDefault(flag);
      const line = help.split('\n').find((l) => l.startsWith(`  --${flag.name} `))!;
      if (shown === undefined) expect(line).not.toContain('(default:');
      else expect(line.endsWith(`(default: ${shown})`)).toBe(true);
    }
    expect(help).toContain(`--graceful-timeout <value>`);
    expect(help).toMatch(new RegExp(`graceful.*\\(default: ${defaults.gracefulTimeout / 1000}\\)`));
  });
});
