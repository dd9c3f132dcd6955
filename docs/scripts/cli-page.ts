/**
 * `docs/reference/cli.md` from the flag table `tsgi --help` itself is made of
 * (`packages/node/src/cli/flags.ts`), grouped and titled as `--help` groups
 * them: each flag with its config-file key, environment variable, default
 * and help line. The group titles, the usage lines and the "Other" options are
 * read from `helpText()`, so the page cannot say what `--help` does not.
 */
import { FLAGS, type Flag, shownDefault } from '../../packages/node/src/cli/flags.ts';
import { helpText } from '../../packages/node/src/cli/help.ts';
import { generatedHeader } from './markdown.ts';

/** One block of `--help`: a title line (`Where to listen:`) and the lines under it. */
interface HelpBlock {
  title: string;
  lines: string[];
}

/** `--help`'s text cut at its blank lines into titled blocks. */
function helpBlocks(text: string): HelpBlock[] {
  return text
    .split(/\n\s*\n/)
    .map((block) => block.split('\n').filter((line) => line.trim() !== ''))
    .filter((lines) => lines.length > 0)
    .map(([title, ...lines]) => ({ title: title!, lines }));
}

/** Text for a table cell: no pipes, no tags, no Vue interpolation. */
function cell(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('|', '\\|')
    .replaceAll('{', '&#123;');
}

/** The environment variable a flag is read from: `TSGI_MAX_REQUESTS`. */
export function envName(flag: Flag): string {
  return `TSGI_${flag.name.toUpperCase().replaceAll('-', '_')}`;
}

/** The table row of one flag; its first cell holds the anchor `#<flag name>`. */
function flagRow(flag: Flag): string {
  const value = flag.kind === 'boolean' ? '' : ' <value>';
  const choices = flag.choices ? ` One of ${flag.choices.map((c) => `\`${c}\``).join(', ')}.` : '';
  const shown = shownDefault(flag);
  return [
    `<a id="${flag.name}"></a>\`--${flag.name}${value}\``,
    `\`${flag.key}\``,
    `\`${envName(flag)}\``,
    shown === undefined ? '—' : `\`${shown}\``,
    `${cell(flag.help)} (${flag.kind}).${choices}`,
  ].join(' | ');
}

/** The Markdown of the CLI reference page. */
export function cliPage(): string {
  const blocks = helpBlocks(helpText());
  const out: string[] = [generatedHeader('tsgi command line', 1, 'packages/node/src/cli/flags.ts')];
  out.push(
    '# The `tsgi` command line',
    '',
    'Every option of `tsgi serve`, as `tsgi --help` prints it. Each one is also read from the',
    'config file given with `--config` (the key as shown, or in kebab- or snake_case) and from',
    'an environment variable; a flag wins over a variable, and a variable over the file.',
    '',
    '## Usage',
    '',
    '```text',
    ...blocks
      .filter((block) => !block.title.endsWith(':') || block.title.startsWith('Examples'))
      .filter((block) => !block.title.startsWith('Every option'))
      .flatMap((block) => [block.title, ...block.lines, '']),
    '```',
    '',
  );
  const seen = new Set<string>();
  for (const block of blocks) {
    const flags = block.lines
      .map((line) => FLAGS.find((f) => f.name === /^\s*--([a-z0-9-]+)/.exec(line)?.[1]))
      .filter((f): f is Flag => f !== undefined);
    if (flags.length > 0) {
      // The heading's own anchor keeps clear of the flags' (`Protocol` and `--protocol`).
      out.push(`## ${block.title.replace(/:$/, '')} {#group-${flags[0]!.group}}`, '');
      out.push('| Flag | Config key | Environment | Default | What it does |');
      out.push('| ---- | ---------- | ----------- | ------- | ------------ |');
      for (const flag of flags) {
        out.push(`| ${flagRow(flag)} |`);
        seen.add(flag.name);
      }
      out.push('');
    } else if (block.title === 'Other:') {
      out.push('## Other options', '', '| Flag | What it does |', '| ---- | ------------ |');
      for (const line of block.lines) {
        const [left = '', help = ''] = line.trim().split(/\s{2,}/);
        const name = /--([a-z0-9-]+)/.exec(left)?.[1] ?? '';
        out.push(`| <a id="${name}"></a>\`${left}\` | ${cell(help)} |`);
      }
      out.push('');
    } else if (block.title.startsWith('Every option')) {
      out.push(cell([block.title, ...block.lines].join('\n')), '');
    }
  }
  const missing = FLAGS.filter((f) => !seen.has(f.name)).map((f) => f.name);
  if (missing.length > 0)
    throw new Error(`flags missing from --help's groups: ${missing.join(', ')}`);
  return out.join('\n');
}
