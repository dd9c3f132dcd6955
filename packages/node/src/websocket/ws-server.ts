import { WebSocketServer } from 'ws';
import { type ServerOptions, serverNumber } from '../options/options.js';
import { acceptPlans } from './upgrade.js';

/**
 * The `ws` server that takes over a socket once the app accepted: framing,
 * masking, UTF-8 checks, fragments, control frames and the size limit
 * (`maxPayload`, checked against each frame header before its payload is
 * read). It answers the handshake with what `accept()` chose: the
 * subprotocol and the extra headers.
 */
export function webSocketServer(options: ServerOptions): WebSocketServer {
  const maxPayload = serverNumber('websocketMaxMessage', options.websocketMaxMessage);
  const wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    maxPayload,
    perMessageDeflate: options.websocketDeflate === true ? deflateSettings() : false,
    handleProtocols: (_offered, req) => acceptPlans.get(req)?.protocol ?? false,
  });
  wss.on('headers', (lines: string[], req) => {
    const extra = acceptPlans.get(req)?.headers;
    if (extra !== undefined) lines.push(...extra);
  });
  return wss;
}

/**
 * `permessage-deflate` with bounded memory: a smaller server window (2^13
 * bytes) and memory level, messages under 1 KiB sent as they are, and at
 * most 10 zlib jobs at once per process (`ws`'s queue).
 */
function deflateSettings() {
  return {
    threshold: 1024,
    concurrencyLimit: 10,
    serverMaxWindowBits: 13,
    zlibDeflateOptions: { memLevel: 7 },
  };
}
