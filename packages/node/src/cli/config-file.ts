import { readFileSync } from 'node:fs';

/**
 * Reads a config file into raw key/value pairs: JSON (`tsgi.json`, an object)
 * or ini in the spirit of `uwsgi.ini` (`key = value` lines, optionally under a
 * `[tsgi]` section; `#` and `;` start comments; other sections are ignored).
 * Keys may be kebab-, snake- or camelCase; values stay strings (or JSON
 * scalars) and are checked with the flags later. Throws with the path and
 * line on a syntax error.
 */
export function readConfigFile(path: string): Record<string, string | number | boolean> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read config file ${path}: ${(error as Error).message}`);
  }
  if (path.endsWith('.json') || text.trimStart().startsWith('{')) return parseJson(path, text);
  return parseIni(path, text);
}

function parseJson(path: string, text: string): Record<string, string | number | boolean> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`config file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new Error(`config file ${path} must hold a JSON object`);
  }
  const out: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(data)) {
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new Error(`config file ${path}: "${key}" must be a string, number or boolean`);
    }
    out[key] = value;
  }
  return out;
}

function parseIni(path: string, text: string): Record<string, string> {
  const out: Record<string, string> = {};
  let section = 'tsgi';
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    if (line.startsWith('[')) {
      if (!line.endsWith(']')) throw new Error(`${path}:${i + 1}: malformed section header`);
      section = line.slice(1, -1).trim();
      continue;
    }
    if (section !== 'tsgi') continue;
    const eq = line.indexOf('=');
    if (eq === -1)
      throw new Error(`${path}:${i + 1}: expected "key = value", got ${JSON.stringify(line)}`);
    const key = line.slice(0, eq).trim();
    let value = line.slice(eq + 1).trim();
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0])) {
      value = value.slice(1, -1);
    }
    out[key] = value;
  }
  return out;
}
