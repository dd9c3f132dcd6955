import type { Environ } from '@tsgi/spec';
import type { ListenerRequest } from '../contracts/request-events.js';

/** What a gateway response (uwsgi, FastCGI) offers a listener's `'request'` event. */
export interface GatewayResponse {
  abort(status: number, text: string): void;
  on(event: 'close', listener: () => void): unknown;
}

/**
 * The `'request'` listeners of one transport: `add` is its `onRequest`; a
 * protocol calls `emit` for each request just before the app runs it (and
 * checks `any` first, so a server nobody listens to builds no event).
 */
export class RequestListeners {
  private readonly listeners: Array<(request: ListenerRequest) => void> = [];

  /** True when a listener was added. */
  get any(): boolean {
    return this.listeners.length > 0;
  }

  /** Adds `listener`; the last added runs first, before the app, as `prependListener` does. */
  add(listener: (request: ListenerRequest) => void): void {
    this.listeners.unshift(listener);
  }

  /** Reports `request` to every listener. */
  emit(request: ListenerRequest): void {
    for (const listener of this.listeners) listener(request);
  }
}

/** A gateway request as a listener's `'request'` event reports it. */
export function gatewayRequest(environ: Environ, response: GatewayResponse): ListenerRequest {
  return {
    method: environ.REQUEST_METHOD,
    target: environ.REQUEST_URI,
    scheme: environ['tsgi.url_scheme'],
    abort: (status, text) => response.abort(status, text),
    onClose: (listener) => void response.on('close', listener),
  };
}
