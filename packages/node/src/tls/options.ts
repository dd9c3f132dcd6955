import type { Protocol } from '../contracts/protocol.js';
import { defaults } from '../options/defaults.js';
import {
  type CertReqs,
  certReqsValues,
  type HttpProtocol,
  httpProtocolValues,
  type TlsOptions,
} from '../options/tls.js';

export {
  type CertReqs,
  certReqsValues,
  type HttpProtocol,
  httpProtocolValues,
  type TlsOptions,
} from '../options/tls.js';

/** TLS options checked: both files, and what to ask of clients. */
export interface ResolvedTls {
  readonly certfile: string;
  readonly keyfile: string;
  readonly caCerts: string | undefined;
  readonly certReqs: CertReqs;
  /** What ALPN offers, most preferred first. */
  readonly httpProtocols: readonly HttpProtocol[];
}

const given = (value: string | undefined): value is string => value !== undefined && value !== '';

/**
 * `--http-protocols` (`h2,h1`) as `httpProtocols`: comma-separated, `h1` or
 * `http/1.1` for HTTP/1.1, `h2` for HTTP/2 over TLS, `h2c` for cleartext
 * HTTP/2; a sentence saying what is wrong otherwise.
 */
export function parseHttpProtocols(text: string): HttpProtocol[] | string {
  const names = text.split(',').map((name) => name.trim().toLowerCase());
  const out: HttpProtocol[] = [];
  for (const name of names) {
    const protocol = name === 'h1' ? 'http/1.1' : name;
    if (!httpProtocolValues.includes(protocol as HttpProtocol)) {
      return `http-protocols must list h2, h1 or h2c (comma-separated), got ${JSON.stringify(text)}`;
    }
    out.push(protocol as HttpProtocol);
  }
  return out;
}

/** `httpProtocols` as `--http-protocols` writes it: `h2,h1`. */
export function showHttpProtocols(protocols: readonly HttpProtocol[]): string {
  return protocols.map((p) => (p === 'http/1.1' ? 'h1' : p)).join(',');
}

/**
 * What is wrong with the TLS options for `protocol`, as one sentence, or
 * undefined when they are consistent: TLS is for HTTP only, `certfile` and
 * `keyfile` go together, and client certificates need both `caCerts` and
 * `certReqs` `optional` or `required`; `h2c` is for cleartext HTTP only, and
 * a cleartext HTTP listener must speak `http/1.1` or `h2c`. Option names are
 * the library's (`certfile`); the CLI prints the same sentence.
 */
export function tlsProblem(protocol: Protocol, options: TlsOptions): string | undefined {
  const certReqs = options.certReqs ?? 'none';
  if (!certReqsValues.includes(certReqs)) {
    return `certReqs must be one of ${certReqsValues.join(', ')}, got ${JSON.stringify(certReqs)}`;
  }
  const wanted = options.httpProtocols ?? defaults.httpProtocols;
  if (
    !Array.isArray(wanted) ||
    wanted.length === 0 ||
    wanted.some((p) => !httpProtocolValues.includes(p)) ||
    new Set(wanted).size !== wanted.length
  ) {
    return `httpProtocols must list one or more of ${httpProtocolValues.join(', ')}, got ${JSON.stringify(wanted)}`;
  }
  const cleartextH2 = wanted.includes('h2c');
  const anySet =
    given(options.certfile) ||
    given(options.keyfile) ||
    given(options.caCerts) ||
    certReqs !== 'none';
  if (cleartextH2 && protocol !== 'http') {
    return `h2c (cleartext HTTP/2) is for the http protocol only, not ${protocol}`;
  }
  if (!anySet) {
    if (protocol === 'http' && !cleartextH2 && !wanted.includes('http/1.1')) {
      return 'httpProtocols without http/1.1 needs TLS (certfile and keyfile) for h2; without TLS, HTTP/2 is h2c (prior knowledge)';
    }
    return undefined;
  }
  if (cleartextH2) {
    return 'h2c is cleartext HTTP/2 (prior knowledge); over TLS, HTTP/2 is h2, chosen by ALPN';
  }
  if (protocol !== 'http') {
    return `TLS (certfile, keyfile, caCerts, certReqs) is for the http protocol only, not ${protocol}: the front server terminates TLS for ${protocol}`;
  }
  if (given(options.certfile) !== given(options.keyfile)) {
    return given(options.certfile)
      ? 'certfile needs keyfile: the private key of its certificate'
      : 'keyfile needs certfile: the certificate of its key';
  }
  if (!given(options.certfile)) return 'caCerts and certReqs need certfile and keyfile';
  if (given(options.caCerts) && certReqs === 'none') {
    return "caCerts is set but certReqs is 'none', so no client certificate would be asked for: set certReqs 'optional' or 'required'";
  }
  if (!given(options.caCerts) && certReqs !== 'none') {
    return `certReqs '${certReqs}' needs caCerts: the CA bundle client certificates are checked against`;
  }
  return undefined;
}

/**
 * The TLS options for `protocol`, checked, or undefined when TLS is off.
 * Throws a TypeError with `tlsProblem`'s sentence.
 */
export function resolveTls(protocol: Protocol, options: TlsOptions): ResolvedTls | undefined {
  const problem = tlsProblem(protocol, options);
  if (problem !== undefined) throw new TypeError(`@tsgi/node: ${problem}`);
  if (!given(options.certfile) || !given(options.keyfile)) return undefined;
  return {
    certfile: options.certfile,
    keyfile: options.keyfile,
    caCerts: given(options.caCerts) ? options.caCerts : undefined,
    certReqs: options.certReqs ?? 'none',
    httpProtocols: options.httpProtocols ?? defaults.httpProtocols,
  };
}
