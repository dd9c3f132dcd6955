/** The key of undici's internal state on a `Response` (Node's fetch), found once; `undefined` elsewhere. */
const stateKey: symbol | undefined = (() => {
  try {
    return Object.getOwnPropertySymbols(new Response(null)).find(
      (key) => key.description === 'state',
    );
  } catch {
    return undefined;
  }
})();

const encoder = new TextEncoder();

/** UTF-8 bytes of a string: `Buffer.from` where there is one (undici is Node's), faster there. */
const utf8: (text: string) => Uint8Array =
  typeof Buffer === 'function'
    ? (text) => Buffer.from(text, 'utf8')
    : (text) => encoder.encode(text);

/**
 * The bytes a `Response` was made from, when it was made from a string or
 * bytes and its body is untouched: `new Response('{"ok":true}')` then needs
 * no stream read, which is most of the cost of a small response on Node.
 * Reads undici's internal state (the same shortcut `@hono/node-server`
 * takes); `undefined` on other runtimes, for stream bodies and whenever the
 * state does not look as expected, and the caller reads the stream.
 */
export function bytesOf(response: Response): Uint8Array | undefined {
  if (stateKey === undefined || response.bodyUsed) return undefined;
  const state = (response as unknown as Record<symbol, { body?: { source?: unknown } | null }>)[
    stateKey
  ];
  const source = state?.body?.source;
  if (typeof source === 'string') return utf8(source);
  if (source instanceof Uint8Array) return source;
  return undefined;
}
