import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ListenerRequest } from '../contracts/request-events.js';
import { sendText } from '../response/error-response.js';
import { peerOf } from './peer.js';

/** An HTTP request as a listener's `'request'` event reports it. */
export function httpRequest(req: IncomingMessage, res: ServerResponse): ListenerRequest {
  return {
    method: req.method ?? '',
    target: req.url ?? '',
    // A plain value, not a getter: V8 builds an object literal holding a getter
    // on its slow path, about 1 µs and 1 KB of garbage per request.
    scheme: peerOf(req.socket).scheme,
    abort(status, text) {
      if (res.headersSent || res.writableEnded) {
        res.destroy();
        return;
      }
      res.shouldKeepAlive = false;
      sendText(res, status, `${text}\n`);
    },
    onClose: (listener) => void res.on('close', listener),
  };
}
