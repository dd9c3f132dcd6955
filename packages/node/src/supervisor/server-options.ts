import type { ServerOptions } from '../options/options.js';
import { parseHttpProtocols, type TlsOptions } from '../tls/options.js';
import type { CliConfig } from './config.js';

/** The `@tsgi/node` server options a CLI config stands for (seconds become milliseconds). */
export function serverOptions(
  config: CliConfig,
  multiprocess: boolean,
): ServerOptions & TlsOptions {
  return {
    bodyLimit: config.bodyLimit,
    maxUrlLength: config.maxUrlLength,
    maxHeadersCount: config.maxHeadersCount,
    maxHeaderSize: config.maxHeaderSize,
    headersTimeout: config.headersTimeout * 1000,
    requestTimeout: config.requestTimeout * 1000,
    keepAliveTimeout: config.keepAliveTimeout * 1000,
    idleTimeout: config.idleTimeout * 1000,
    websocketMaxMessage: config.websocketMaxMessage,
    websocketPingInterval: config.websocketPingInterval * 1000,
    websocketDeflate: config.websocketDeflate,
    trustProxy: config.trustProxy,
    accessLog: config.accessLog === 'off' ? false : config.accessLog,
    scriptName: config.scriptName,
    debug: config.debug,
    sockets: config.sockets,
    multiprocess,
    certfile: config.certfile,
    keyfile: config.keyfile,
    caCerts: config.caCerts,
    certReqs: config.certReqs,
    httpProtocols: cliProtocols(config.httpProtocols),
    http2MaxConcurrentStreams: config.http2MaxConcurrentStreams,
  };
}

/** `--http-protocols` as the option; the CLI checked it (a bad list reaches `resolveTls`, which names it). */
function cliProtocols(text: string): TlsOptions['httpProtocols'] {
  const parsed = parseHttpProtocols(text);
  return typeof parsed === 'string' ? undefined : parsed;
}
