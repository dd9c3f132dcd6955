import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Replaces every `{{key}}` in `text` by `values[key]`; an unknown key is a bug in the template. */
export function fill(text, values) {
  return text.replace(/\{\{(\w+)\}\}/g, (match, key) => {
    if (!(key in values)) throw new Error(`template placeholder ${match} has no value`);
    return values[key];
  });
}

/** Every file under `dir`, as `/`-separated paths relative to it, sorted. */
function listFiles(dir, prefix = '') {
  const out = [];
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const path = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) out.push(...listFiles(dir, path));
    else if (entry.isFile()) out.push(path);
  }
  return out.sort();
}

/**
 * Renders every `*.tmpl` file of `templateDir` into `root`: `destination`
 * maps a template's relative path (without `.tmpl`) to the path to write,
 * relative to `root`. Refuses to overwrite a file. Returns the written paths.
 */
export function renderTemplates(templateDir, root, values, destination) {
  // Fill every template before writing any, so a bad template leaves nothing behind.
  const rendered = [];
  for (const file of listFiles(templateDir)) {
    if (!file.endsWith('.tmpl')) continue;
    const target = destination(file.slice(0, -'.tmpl'.length));
    rendered.push([target, fill(readFileSync(join(templateDir, file), 'utf8'), values)]);
  }
  for (const [target, text] of rendered) {
    mkdirSync(dirname(join(root, target)), { recursive: true });
    writeFileSync(join(root, target), text, { flag: 'wx' });
  }
  return rendered.map(([target]) => target);
}
