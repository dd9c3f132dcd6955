import { BlockList, isIP } from 'node:net';

/**
 * Decides whether a peer address is a trusted proxy. `''` stands for a
 * Unix-socket peer (it has no address).
 */
export type TrustPredicate = (address: string) => boolean;

/** What the forwarding headers of a trusted chain say about the original request. */
export interface ForwardedInfo {
  /** The client address, or undefined when the headers do not say. */
  address: string | undefined;
  /** The client port, when `Forwarded` gives one. */
  port: string | undefined;
  /** `http` or `https`, when said. */
  scheme: string | undefined;
  /** The `Host` the client used, when said. */
  host: string | undefined;
}

/**
 * Builds the trust predicate from a `trustProxy` option, or `undefined` when
 * nothing is trusted (`undefined` or `false`, the default). Throws a TypeError
 * on an entry that is neither `'loopback'`, `'unix'`, an IP address nor a
 * CIDR, or on an option of another type; the message starts with `label`, so
 * each caller names its own option (`@tsgi/node` passes nothing and gets
 * `trustProxy`, `@tsgi/middleware-request-id` passes `requestId: "trustProxy"`).
 *
 * @example
 * const trusted = compileTrust(['loopback', '10.0.0.0/8']);
 * trusted('10.1.2.3'); // true
 * compileTrust(['proxy.example'], 'myMiddleware: "trust"');
 * // TypeError: myMiddleware: "trust" entry "proxy.example" is not an IP, CIDR, 'loopback' or 'unix'
 */
export function compileTrust(
  option: boolean | string | readonly string[] | undefined,
  label = 'trustProxy',
): TrustPredicate | undefined {
  if (option === undefined || option === false) return undefined;
  if (option === true) return () => true;
  if (typeof option !== 'string' && !Array.isArray(option)) {
    throw new TypeError(
      `${label} must be true, false, a string or an array of strings, got ${String(option)}`,
    );
  }
  const entries: readonly unknown[] = typeof option === 'string' ? option.split(',') : option;
  const list = new BlockList();
  let unix = false;
  let any = false;
  for (const raw of entries) {
    if (typeof raw !== 'string') {
      throw new TypeError(`${label} entry ${String(raw)} is not a string`);
    }
    const entry = raw.trim();
    if (entry === '') continue;
    any = true;
    if (entry === 'unix') {
      unix = true;
    } else if (entry === 'loopback') {
      list.addSubnet('127.0.0.0', 8, 'ipv4');
      list.addAddress('::1', 'ipv6');
    } else {
      const slash = entry.indexOf('/');
      const address = slash === -1 ? entry : entry.slice(0, slash);
      const family = isIP(address);
      if (family === 0) {
        throw new TypeError(
          `${label} entry ${JSON.stringify(entry)} is not an IP, CIDR, 'loopback' or 'unix'`,
        );
      }
      const type = family === 4 ? 'ipv4' : 'ipv6';
      if (slash === -1) {
        list.addAddress(address, type);
      } else {
        const bits = Number(entry.slice(slash + 1));
        const max = family === 4 ? 32 : 128;
        if (!Number.isInteger(bits) || bits < 0 || bits > max || entry.slice(slash + 1) === '') {
          throw new TypeError(`${label} entry ${JSON.stringify(entry)} has a bad prefix length`);
        }
        list.addSubnet(address, bits, type);
      }
    }
  }
  if (!any) return undefined;
  return (address: string) => {
    if (address === '') return unix;
    const family = isIP(address);
    if (family === 4) return list.check(address, 'ipv4');
    if (family === 6) {
      if (list.check(address, 'ipv6')) return true;
      const mapped = unmapIPv4(address);
      return mapped !== address && list.check(mapped, 'ipv4');
    }
    return false;
  };
}

/** `::ffff:1.2.3.4` → `1.2.3.4`; any other address unchanged. */
export function unmapIPv4(address: string): string {
  if (
    address.length > 7 &&
    address.charCodeAt(0) === 58 &&
    /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(address)
  ) {
    return address.slice(7);
  }
  return address;
}

function splitList(value: string | undefined): string[] {
  if (value === undefined) return [];
  const out: string[] = [];
  for (const part of value.split(',')) {
    const item = part.trim();
    if (item !== '') out.push(item);
  }
  return out;
}

/** Strips `[...]`, quotes and a port from a `Forwarded: for=` node or an XFF entry. */
function nodeAddress(node: string): { address: string; port: string | undefined } {
  let value = node;
  if (value.startsWith('[')) {
    const end = value.indexOf(']');
    const address = end === -1 ? value.slice(1) : value.slice(1, end);
    const rest = end === -1 ? '' : value.slice(end + 1);
    return { address, port: rest.startsWith(':') ? rest.slice(1) : undefined };
  }
  // An IPv4 address with a port, `1.2.3.4:5678`; a bare IPv6 address keeps its colons.
  const colon = value.indexOf(':');
  if (colon !== -1 && value.indexOf(':', colon + 1) === -1) {
    const port = value.slice(colon + 1);
    value = value.slice(0, colon);
    return { address: value, port };
  }
  return { address: value, port: undefined };
}

interface ForwardedElement {
  for?: string;
  proto?: string;
  host?: string;
}

/** Parses an RFC 7239 `Forwarded` header into its elements, in order. Bad pairs are skipped. */
export function parseForwarded(header: string): ForwardedElement[] {
  const elements: ForwardedElement[] = [];
  let current: ForwardedElement = {};
  let i = 0;
  const n = header.length;
  while (i < n) {
    while (i < n && (header[i] === ' ' || header[i] === '\t' || header[i] === ';')) i++;
    if (i >= n) break;
    if (header[i] === ',') {
      elements.push(current);
      current = {};
      i++;
      continue;
    }
    const eq = header.indexOf('=', i);
    if (eq === -1) break;
    const key = header.slice(i, eq).trim().toLowerCase();
    i = eq + 1;
    let value = '';
    if (header[i] === '"') {
      i++;
      while (i < n && header[i] !== '"') {
        if (header[i] === '\\' && i + 1 < n) i++;
        value += header[i];
        i++;
      }
      i++;
    } else {
      const start = i;
      while (i < n && header[i] !== ';' && header[i] !== ',') i++;
      value = header.slice(start, i).trim();
    }
    if (key === 'for' || key === 'proto' || key === 'host') current[key] = value;
  }
  elements.push(current);
  return elements;
}

/**
 * Reads the forwarding headers of a request whose peer is trusted. The chain is
 * walked from the right, skipping trusted hops; the first untrusted hop is the
 * client. `Forwarded` wins over the `X-Forwarded-*` headers when both are there.
 */
export function readForwarded(
  trusted: TrustPredicate,
  forwarded: string | undefined,
  xForwardedFor: string | undefined,
  xForwardedProto: string | undefined,
  xForwardedHost: string | undefined,
): ForwardedInfo {
  const info: ForwardedInfo = {
    address: undefined,
    port: undefined,
    scheme: undefined,
    host: undefined,
  };
  if (forwarded !== undefined) {
    const elements = parseForwarded(forwarded);
    let chosen: ForwardedElement | undefined;
    for (let i = elements.length - 1; i >= 0; i--) {
      const element = elements[i]!;
      chosen = element;
      if (element.for === undefined) break;
      const { address } = nodeAddress(element.for);
      if (!trusted(address)) break;
    }
    if (chosen !== undefined) {
      if (chosen.for !== undefined) {
        const { address, port } = nodeAddress(chosen.for);
        if (isIP(address) !== 0) {
          info.address = address;
          info.port = port !== undefined && /^\d+$/.test(port) ? port : undefined;
        }
      }
      const proto = chosen.proto?.toLowerCase();
      if (proto === 'http' || proto === 'https') info.scheme = proto;
      if (chosen.host !== undefined && chosen.host !== '') info.host = chosen.host;
    }
    return info;
  }
  const hops = splitList(xForwardedFor);
  let index = -1;
  for (let i = hops.length - 1; i >= 0; i--) {
    index = i;
    if (!trusted(nodeAddress(hops[i]!).address)) break;
  }
  if (index !== -1) {
    const { address } = nodeAddress(hops[index]!);
    if (isIP(address) !== 0) info.address = address;
  }
  const protos = splitList(xForwardedProto);
  if (protos.length > 0) {
    const pick =
      protos.length === hops.length && index !== -1 ? protos[index]! : protos[protos.length - 1]!;
    const proto = pick.toLowerCase();
    if (proto === 'http' || proto === 'https') info.scheme = proto;
  }
  const hosts = splitList(xForwardedHost);
  if (hosts.length > 0) {
    info.host =
      hosts.length === hops.length && index !== -1 ? hosts[index]! : hosts[hosts.length - 1]!;
  }
  return info;
}
