import type { Application } from '@tsgi/spec';

/** A WebSocket echo as a TSGI application: bun-echo.ts and deno-echo.ts serve it. */
export const echo: Application = async (environ, startResponse) => {
  const upgrade = environ['tsgi.websocket'];
  if (upgrade === undefined) {
    startResponse('426 Upgrade Required', [['Content-Type', 'text/plain']]);
    return [new TextEncoder().encode('WebSocket only\n')];
  }
  const socket = await upgrade.accept({ protocol: upgrade.protocols[0] });
  (async () => {
    for await (const message of socket) await socket.send(message);
  })().catch(() => {}); // send() rejects once the client has gone
  return [];
};
