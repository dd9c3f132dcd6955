import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ListenerRequest } from '../contracts/request-events.js';
import { sendText } from '../response/error-response.js';
import { peerOf } from './peer.js';

/**
 * An HTTP request as a listener's `'request'` event reports it: one object
 * per request, its methods on the prototype (no closure per request).
 */
class HttpListenerRequest implements ListenerRequest {
  readonly method: string;
  readonly target: string;
  // A plain value, not a getter: V8 builds an object literal holding a getter
  // on its slow path, about 1 µs and 1 KB of garbage per request.
  readonly scheme: string;
  private readonly res: ServerResponse;

  constructor(req: IncomingMessage, res: ServerResponse) {
    this.method = req.method ?? '';
    this.target = req.url ?? '';
    this.scheme = peerOf(req.socket).scheme;
    this.res = res;
  }

  abort(status: number, text: string): void {
    const res = this.res;
    if (res.headersSent || res.writableEnded) {
      res.destroy();
      return;
    }
    res.shouldKeepAlive = false;
    sendText(res, status, `${text}\n`);
  }

  onClose(listener: () => void): void {
    this.res.on('close', listener);
  }
}

/** An HTTP request as a listener's `'request'` event reports it. */
export function httpRequest(req: IncomingMessage, res: ServerResponse): ListenerRequest {
  return new HttpListenerRequest(req, res);
}
