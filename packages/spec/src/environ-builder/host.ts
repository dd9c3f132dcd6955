import { RequestProblem } from './request-problem.js';

const HOST_NAME = /^[^\s/?#@[\]:]+$/;
const IPV6_BRACKETED = /^\[[0-9A-Fa-f:.]+\]$/;
const PORT = /^\d{1,5}$/;

/** A `Host` header's name and port, checked. */
export interface HostParts {
  readonly host: string;
  readonly name: string;
  readonly port: string | undefined;
}

/** Splits `host[:port]` (with `[v6]` brackets) into name and port, unchecked. */
export function splitHost(host: string): { name: string; port: string | undefined } {
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    if (end !== -1) {
      const rest = host.slice(end + 1);
      return {
        name: host.slice(0, end + 1),
        port: rest.startsWith(':') ? rest.slice(1) : undefined,
      };
    }
    return { name: host, port: undefined };
  }
  const colon = host.lastIndexOf(':');
  if (colon === -1) return { name: host, port: undefined };
  return { name: host.slice(0, colon), port: host.slice(colon + 1) };
}

/** True for a host name or a bracketed IPv6 address, as `SERVER_NAME` may hold. */
export function isServerName(name: string): boolean {
  return HOST_NAME.test(name) || IPV6_BRACKETED.test(name);
}

/** True for a decimal port number 0–65535. */
export function isPort(port: string): boolean {
  return PORT.test(port) && Number(port) <= 65_535;
}

/** Checks a `Host` header (RFC 9110 §7.2) and splits it; a 400 when it is malformed. */
export function parseHost(host: string): HostParts | RequestProblem {
  const { name, port } = splitHost(host);
  if (!isServerName(name)) return new RequestProblem(400, 'invalid Host header');
  if (port !== undefined && !isPort(port)) {
    return new RequestProblem(400, 'invalid port in the Host header');
  }
  return { host, name, port };
}

/** `SERVER_NAME` for a request that names no host: the listener's address, bracketed if IPv6. */
export function listenerName(address: string | undefined): string {
  if (address === undefined || address === '') return 'localhost';
  return address.includes(':') ? `[${address}]` : address;
}
