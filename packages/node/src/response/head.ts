import { type HeaderList, isFieldValue, isToken, parseContentLength } from '@tsgi/spec';

/** Where `readHeaders` puts what it read (the exchange itself). */
export interface HeadTarget {
  /** The headers as the flat `[name, value, …]` list a sink takes. */
  head: string[] | undefined;
  /** The app's `Content-Length`, or -1. */
  declared: number;
}

/**
 * Checks the app's header list and stores it in `target`: the flat list and
 * the `Content-Length` it declares. Throws a TypeError naming the first bad
 * header, leaving `target` as it was. `check` also refuses names that are not
 * tokens and values with control characters (off when the sink refuses them
 * itself); a `Content-Length` is always checked.
 */
export function readHeaders(headers: HeaderList, check: boolean, target: HeadTarget): void {
  if (!Array.isArray(headers))
    throw new TypeError('startResponse: headers must be an array of [name, value]');
  const head = new Array<string>(headers.length * 2);
  let declared = -1;
  for (let i = 0; i < headers.length; i++) {
    const pair = headers[i];
    if (!Array.isArray(pair) || pair.length !== 2) {
      throw new TypeError(`startResponse: header #${i} is not a [name, value] pair`);
    }
    const name = pair[0];
    const value = pair[1];
    if (typeof name !== 'string' || (check && !isToken(name))) {
      throw new TypeError(
        `startResponse: header name ${JSON.stringify(name)} is not a valid token`,
      );
    }
    if (typeof value !== 'string' || (check && !isFieldValue(value))) {
      throw new TypeError(
        `startResponse: value of header ${name} must be a string without CR, LF or other control characters`,
      );
    }
    if (
      name.length === 14 &&
      (name === 'Content-Length' || name.toLowerCase() === 'content-length')
    ) {
      const length = parseContentLength(value);
      if (length === -1 || (declared !== -1 && length !== declared)) {
        throw new TypeError(`startResponse: bad Content-Length ${JSON.stringify(value)}`);
      }
      declared = length;
    }
    head[i * 2] = name;
    head[i * 2 + 1] = value;
  }
  target.head = head;
  target.declared = declared;
}
