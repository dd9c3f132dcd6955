import { offeredProtocols, upgradeProblem } from '@tsgi/spec';
import { bunSwitch, isBunServer } from './bun.js';
import { denoSwitch, denoUpgrader } from './deno.js';
import type { Switch } from './switch.js';

/** A request the runtime can switch: how, and the subprotocols the client offered. */
export interface Switchable {
  readonly switch: Switch;
  readonly protocols: readonly string[];
}

/**
 * How `request` can become a WebSocket here, or undefined when it is not a
 * valid RFC 6455 upgrade (`upgradeProblem`, `offeredProtocols`) or the
 * runtime cannot upgrade: Bun when `info` is its `Server` and `bunWired`
 * (the bridge's `websocket` handlers were taken for `Bun.serve`), else Deno
 * when `Deno.upgradeWebSocket` exists. Node fetch servers and worker
 * runtimes have neither.
 */
export function switchable(
  request: Request,
  info: unknown,
  protocol: string,
  bunWired: boolean,
): Switchable | undefined {
  // The runtime first, then a quick look: most requests are no upgrade at all.
  const bun = isBunServer(info) ? info : undefined;
  const deno = bun === undefined ? denoUpgrader() : undefined;
  if (bun === undefined ? deno === undefined : !bunWired) return undefined;
  const headers = request.headers;
  if (!headers.has('upgrade')) return undefined;
  const problem = upgradeProblem({
    method: request.method,
    protocol,
    field: (name) => headers.get(name) ?? undefined,
  });
  if (problem !== undefined) return undefined;
  const protocols = offeredProtocols(headers.get('sec-websocket-protocol') ?? undefined);
  if (protocols === undefined) return undefined;
  const switcher = bun !== undefined ? bunSwitch(bun, request) : denoSwitch(deno!, request);
  return { switch: switcher, protocols };
}
