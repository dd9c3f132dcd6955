/**
 * The sockets that carry a WebSocket, each with whether this side began its
 * close (the app, the server's stop or heartbeat, or a protocol error). A
 * WebSocket server ends the socket as soon as it answers the peer's close
 * frame, before the peer's FIN arrives, so the socket alone would look
 * closed by the server; a drain reads this to say how each connection ended.
 */
export const webSocketClosedHere = new WeakMap<object, boolean>();
