/**
 * `JSON.stringify(value)` for a string, made cheaply for the common case of
 * a log field: a string of printable ASCII with no `"` or `\` is only put in
 * quotes, after one scan; any other string goes to `JSON.stringify` (which
 * escapes control characters and lone surrogates). The result is always the
 * one `JSON.stringify` gives.
 *
 * @example
 * jsonString('/items/7');   // '"/items/7"'
 * jsonString('a"b');        // '"a\\"b"'
 */
export function jsonString(value: string): string {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code > 0x7e || code === 0x22 || code === 0x5c) return JSON.stringify(value);
  }
  return `"${value}"`;
}
