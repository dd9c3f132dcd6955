const NON_ASCII = /[^\u0000-\u007f]/;

/**
 * Folds case for matching: ASCII letters only, so that the folded path keeps the
 * original's length and param values can be cut from the original at the same offsets.
 */
export function foldCase(path: string): string {
  return NON_ASCII.test(path)
    ? path.replace(/[A-Z]+/g, (s) => s.toLowerCase())
    : path.toLowerCase();
}
