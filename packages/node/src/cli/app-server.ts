import type { Server as HttpServer } from 'node:http';
import type { Server } from 'node:net';
import type { Application } from '@tsgi/spec';
import { contextOf, createServer } from '../create-server.js';
import type { ServerOptions } from '../options.js';
import { closeUwsgiServer, createUwsgiServer } from '../uwsgi/server.js';
import type { CliConfig } from './config.js';
import { listenOn, listenTarget } from './listen-target.js';

/** A listening HTTP or uwsgi server of the CLI. */
export interface AppServer {
  readonly server: Server;
  /** Printable address, e.g. `http://127.0.0.1:8000` or `unix:/run/app.sock`. */
  readonly address: string;
  /** Stops accepting, lets in-flight requests finish for `timeoutMs`, then cuts the rest. */
  close(timeoutMs: number): Promise<void>;
}

/** The `@tsgi/node` server options a CLI config stands for (seconds become milliseconds). */
export function serverOptions(config: CliConfig, multiprocess: boolean): ServerOptions {
  return {
    bodyLimit: config.bodyLimit,
    maxUrlLength: config.maxUrlLength,
    maxHeadersCount: config.maxHeadersCount,
    maxHeaderSize: config.maxHeaderSize,
    headersTimeout: config.headersTimeout * 1000,
    requestTimeout: config.requestTimeout * 1000,
    keepAliveTimeout: config.keepAliveTimeout * 1000,
    idleTimeout: config.idleTimeout * 1000,
    trustProxy: config.trustProxy,
    accessLog: config.accessLog === 'off' ? false : config.accessLog,
    scriptName: config.scriptName,
    debug: config.debug,
    multiprocess,
  };
}

/** Builds the server for `config.protocol`, not listening yet. */
export function buildServer(app: Application, config: CliConfig, multiprocess: boolean): Server {
  const options = serverOptions(config, multiprocess);
  return config.protocol === 'uwsgi' ? createUwsgiServer(app, options) : createServer(app, options);
}

/** Listens on the config's target (inside a cluster worker the master shares the socket). */
export async function listenServer(server: Server, config: CliConfig): Promise<AppServer> {
  const address = await listenOn(server, listenTarget(config), config.protocol);
  return {
    server,
    address,
    close: (timeoutMs) =>
      config.protocol === 'uwsgi'
        ? closeUwsgiServer(server, timeoutMs)
        : closeHttp(server as HttpServer, timeoutMs),
  };
}

function closeHttp(server: HttpServer, timeoutMs: number): Promise<void> {
  const context = contextOf(server);
  if (context !== undefined) context.closing = true;
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.closeAllConnections(), timeoutMs);
    timer.unref();
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}
