import type { WireSocket } from '../wire/wire-socket.js';

/** How long a closing connection reads and drops what its client still sends before it is cut. */
export const LINGER_MS = 5000;

/**
 * node:http's close after a response that said `Connection: close`
 * (`socket.destroySoon`), made lingering: half-close (our FIN follows the
 * response), go on reading and dropping whatever the client still sends (the
 * rest of a body the app did not read, a request sent before it saw the
 * FIN), and let the socket close once the client closes its side. Closing at
 * once with unread bytes would make the kernel answer them with a reset, and
 * the client could lose the response just written. A client that neither
 * stops nor closes is cut after `LINGER_MS`. Install it as a socket's `destroySoon`, or
 * call it with the socket as `this` (the FastCGI listener ending a connection).
 */
export function lingeringClose(this: WireSocket): void {
  if (this.destroyed) return;
  this.end();
  const timer = setTimeout(() => this.destroy(), LINGER_MS);
  timer.unref();
  this.once('close', () => clearTimeout(timer));
}
