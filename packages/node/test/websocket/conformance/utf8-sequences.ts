/**
 * The UTF-8 decoder test sequences of Autobahn's cases 6.5–6.23, after
 * Markus Kuhn's UTF-8-test.txt: groups of payloads, each marked valid or not.
 * Validity follows RFC 3629: no overlong forms, no surrogates, nothing above
 * U+10FFFF; non-characters and specials are valid.
 */

/** One payload and whether it is valid UTF-8. */
export interface Utf8Sequence {
  valid: boolean;
  bytes: Buffer;
}

/** A group of sequences (one Autobahn subsection, 6.N). */
export interface Utf8Group {
  title: string;
  sequences: Utf8Sequence[];
}

const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex');
const ok = (h: string): Utf8Sequence => ({ valid: true, bytes: hex(h) });
const bad = (h: string): Utf8Sequence => ({ valid: false, bytes: hex(h) });
const ascii = (text: string) => Buffer.from(text, 'latin1').toString('hex');

/** "κόσμε" in UTF-8, the test file's sample of valid multi-octet text. */
export const KOSME = hex('ceba e1bdb9 cf83 cebc ceb5');

function prefixes(): Utf8Sequence[] {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  return Array.from({ length: KOSME.length }, (_, i) => {
    const bytes = KOSME.subarray(0, i + 1);
    let valid = true;
    try {
      decoder.decode(bytes);
    } catch {
      valid = false;
    }
    return { valid, bytes: Buffer.from(bytes) };
  });
}

function range(from: number, to: number, after = ''): string {
  let out = '';
  for (let byte = from; byte < to; byte++) out += byte.toString(16).padStart(2, '0') + after;
  return out;
}

const MISSING_LAST = [
  'c0',
  'e080',
  'f08080',
  'f8808080',
  'fc80808080',
  'df',
  'efbf',
  'f7bfbf',
  'fbbfbfbf',
  'fdbfbfbfbf',
];

function nonCharacters(): Utf8Sequence[] {
  const out = [ok('efbfbe'), ok('efbfbf')];
  for (const first of ['f0', 'f1', 'f2', 'f3', 'f4'])
    for (const second of ['8f', '9f', 'af', 'bf']) {
      if (first === 'f4' && second !== '8f') continue; // above U+10FFFF
      if (first === 'f0' && second === '8f') continue; // overlong
      for (const last of ['be', 'bf']) out.push(ok(`${first}${second}bf${last}`));
    }
  return out;
}

/** Groups 6.5 to 6.23, in Autobahn's order. */
export const UTF8_GROUPS: Utf8Group[] = [
  {
    title: 'Some valid UTF-8 sequences',
    sequences: [
      ok(`${ascii('hello')}24${ascii('world')}`),
      ok(`${ascii('hello')}c2a2${ascii('world')}`),
      ok(`${ascii('hello')}e282ac${ascii('world')}`),
      ok(`${ascii('hello')}f0a4ada2${ascii('world')}`),
      { valid: true, bytes: KOSME },
    ],
  },
  {
    title: 'All prefixes of a valid UTF-8 string with multi-octet code points',
    sequences: prefixes(),
  },
  {
    title: 'First possible sequence of a certain length',
    sequences: [ok('00'), ok('c280'), ok('e0a080'), ok('f0908080')],
  },
  {
    title: 'First possible sequence of length 5 and 6 (invalid code points)',
    sequences: [bad('f888808080'), bad('fc8480808080')],
  },
  {
    title: 'Last possible sequence of a certain length',
    sequences: [ok('7f'), ok('dfbf'), ok('efbfbf'), ok('f48fbfbf')],
  },
  {
    title: 'Last possible sequence of length 4, 5 and 6 (invalid code points)',
    sequences: [bad('f7bfbfbf'), bad('fbbfbfbfbf'), bad('fdbfbfbfbfbf')],
  },
  {
    title: 'Other boundary conditions',
    sequences: [ok('ed9fbf'), ok('ee8080'), ok('efbfbd'), ok('f48fbfbf'), bad('f4908080')],
  },
  {
    title: 'Unexpected continuation octets',
    sequences: [
      ...['80', 'bf', '80bf', '80bf80', '80bf80bf', '80bf80bf80', '80bf80bf80bf'].map(bad),
      bad(range(0x80, 0xbf)),
    ],
  },
  {
    title: 'Lonely start octets',
    sequences: [
      [0xc0, 0xdf],
      [0xe0, 0xef],
      [0xf0, 0xf7],
      [0xf8, 0xfb],
      [0xfc, 0xfd],
    ].map(([from, to]) => bad(range(from!, to!, '20'))),
  },
  { title: 'Sequences with the last continuation octet missing', sequences: MISSING_LAST.map(bad) },
  { title: 'Concatenation of incomplete sequences', sequences: [bad(MISSING_LAST.join(''))] },
  { title: 'Impossible octets', sequences: [bad('fe'), bad('ff'), bad('fefeffff')] },
  {
    title: 'Overlong forms of an ASCII character',
    sequences: ['c0af', 'e080af', 'f08080af', 'f8808080af', 'fc80808080af'].map(bad),
  },
  {
    title: 'Maximum overlong sequences',
    sequences: ['c1bf', 'e09fbf', 'f08fbfbf', 'f887bfbfbf', 'fc83bfbfbfbf'].map(bad),
  },
  {
    title: 'Overlong forms of the NUL character',
    sequences: ['c080', 'e08080', 'f0808080', 'f880808080', 'fc8080808080'].map(bad),
  },
  {
    title: 'Single UTF-16 surrogates',
    sequences: ['eda080', 'edadbf', 'edae80', 'edafbf', 'edb080', 'edbe80', 'edbfbf'].map(bad),
  },
  {
    title: 'Paired UTF-16 surrogates',
    sequences: ['eda080', 'edadbf', 'edae80', 'edafbf'].flatMap((high) =>
      ['edb080', 'edbfbf'].map((low) => bad(high + low)),
    ),
  },
  { title: 'Non-character code points (valid UTF-8)', sequences: nonCharacters() },
  {
    title: 'Unicode specials (valid UTF-8)',
    sequences: ['efbfb9', 'efbfba', 'efbfbb', 'efbfbc', 'efbfbd', 'efbfbe', 'efbfbf'].map(ok),
  },
];
