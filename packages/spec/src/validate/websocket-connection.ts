import type { TsgiValidationError } from '../errors.js';
import { closeProblem, isWireCloseCode } from '../websocket/close-codes.js';
import type { WebSocketClose, WebSocketConnection, WebSocketMessage } from '../websocket/types.js';
import { isThenable } from './thenable.js';
import { show, violation } from './violation.js';

type Connection = {
  protocol: unknown;
  send: (data: unknown) => unknown;
  close: (...args: unknown[]) => unknown;
  closed: PromiseLike<unknown>;
  [Symbol.asyncIterator]: () => AsyncIterator<unknown>;
};

/** Checks what `accept()` gave against ws.10 and returns it typed. */
function checkConnection(value: unknown, chosen: string): Connection {
  // [ws.10] an async iterable with protocol, send, close and closed.
  if (value === null || typeof value !== 'object') {
    throw violation('ws.10', `accept() gave ${show(value)}, not a connection`);
  }
  const c = value as Record<PropertyKey, unknown>;
  if (typeof c[Symbol.asyncIterator] !== 'function') {
    throw violation('ws.10', 'the connection is not async iterable');
  }
  if (c.protocol !== chosen) {
    throw violation(
      'ws.10',
      `the connection's protocol is ${show(c.protocol)}, but accept() chose ${show(chosen)}`,
    );
  }
  for (const name of ['send', 'close'] as const) {
    if (typeof c[name] !== 'function') {
      throw violation('ws.10', `the connection's ${name} is ${show(c[name])}`);
    }
  }
  if (!isThenable(c.closed)) {
    throw violation('ws.10', `the connection's closed is ${show(c.closed)}, not a promise`);
  }
  return value as Connection;
}

/** Why `value` is not what `closed` may resolve to (ws.16), or undefined. */
function closedProblem(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return `closed resolved to ${show(value)}`;
  const { code, reason } = value as { code?: unknown; reason?: unknown };
  const local = code === 1005 || code === 1006 || code === 1015;
  if (typeof code !== 'number' || !(local || isWireCloseCode(code))) {
    return `closed resolved with the code ${show(code)}`;
  }
  if (typeof reason !== 'string') return `closed resolved with the reason ${show(reason)}`;
  return undefined;
}

/** Checks that a call of `send` or `close` returned a promise (ws.10). */
function promised(name: string, result: unknown): Promise<void> {
  if (!isThenable(result)) throw violation('ws.10', `${name}() returned ${show(result)}`);
  return result as Promise<void>;
}

/**
 * Wraps the connection `accept()` gave so both sides are checked: its shape
 * (ws.10), each message it yields (ws.11), the application's `send()` (ws.13)
 * and `close()` (ws.15), and how `closed` settles (ws.16, reported through
 * `report`, since no call of the application's sees it).
 */
export function wrapConnection(
  value: unknown,
  chosen: string,
  report: (error: TsgiValidationError) => void,
): WebSocketConnection {
  const c = checkConnection(value, chosen);
  // [ws.16] closed resolves once with { code, reason }.
  const closed = Promise.resolve(c.closed).then(
    (result) => {
      const problem = closedProblem(result);
      if (problem !== undefined) report(violation('ws.16', problem));
      return result as WebSocketClose;
    },
    (error: unknown) => {
      report(violation('ws.16', `closed rejected with ${show(error)}`));
      throw error;
    },
  );
  // An application need not await closed: its rejection is reported above.
  closed.catch(() => {});
  return {
    protocol: chosen,
    closed,
    send(...args: unknown[]): Promise<void> {
      // [ws.13] one message: a string or a Uint8Array.
      const data = args[0];
      if (args.length !== 1 || !(typeof data === 'string' || data instanceof Uint8Array)) {
        throw violation(
          'ws.13',
          `send() was called with ${args.map(show).join(', ') || 'nothing'}`,
        );
      }
      return promised('send', Reflect.apply(c.send, c, [data]));
    },
    close(...args: unknown[]): Promise<void> {
      // [ws.15] an application close code and a short, well-formed reason.
      const [code, reason] = args;
      if (args.length > 2)
        throw violation('ws.15', `close() was called with ${args.length} arguments`);
      if (code !== undefined || reason !== undefined) {
        const problem = closeProblem((code ?? 1000) as number, (reason ?? '') as string);
        if (problem !== undefined) throw violation('ws.15', problem);
      }
      return promised('close', Reflect.apply(c.close, c, args));
    },
    [Symbol.asyncIterator](): AsyncIterator<WebSocketMessage> {
      const it = c[Symbol.asyncIterator]();
      return {
        async next() {
          // [ws.11] each message is a string (text) or a Uint8Array (binary).
          const result: unknown = await it.next();
          if (result === null || typeof result !== 'object') {
            throw violation('ws.11', `the connection's next() gave ${show(result)}`);
          }
          const { done, value: message } = result as IteratorResult<unknown>;
          if (!done && !(typeof message === 'string' || message instanceof Uint8Array)) {
            throw violation('ws.11', `the connection yielded ${show(message)}`);
          }
          return result as IteratorResult<WebSocketMessage>;
        },
        async return(returned?: unknown) {
          await it.return?.(returned);
          return { done: true, value: undefined };
        },
      };
    },
  };
}
