import type {
  Application,
  WebSocketAcceptOptions,
  WebSocketClose,
  WebSocketUpgrade,
} from '../../src/index.ts';
import { bytes, makeEnviron, serve } from '../harness.ts';
import { custom, type RuleTable, served } from './cases.ts';

/**
 * An in-memory accepted connection, the validator's own test double: it
 * yields `incoming`, keeps what is sent, and `close()` settles `closed`.
 * `change` replaces members to make a broken one.
 */
function fakeConnection(protocol: string, incoming: unknown[], change: object = {}) {
  let finish: (close: WebSocketClose) => void = () => {};
  const closed = new Promise<WebSocketClose>((resolve) => {
    finish = resolve;
  });
  return {
    protocol,
    closed,
    sent: [] as unknown[],
    async *[Symbol.asyncIterator]() {
      yield* incoming;
    },
    async send(data: unknown) {
      this.sent.push(data);
    },
    async close(code = 1000, reason = '') {
      finish({ code, reason });
    },
    ...change,
  };
}

/** What a fake offer is made of: what the connection yields, and changes to make it wrong. */
interface Fake {
  incoming?: unknown[];
  connection?: object | ((protocol: string) => unknown);
  async?: boolean;
}

/** A `tsgi.websocket` offering `chat` and `superchat`, whose `accept()` gives a fake connection. */
function offer({ incoming = ['hi', bytes('ho')], connection = {}, async = false }: Fake = {}) {
  return {
    protocols: ['chat', 'superchat'],
    accept(options?: WebSocketAcceptOptions) {
      const protocol = options?.protocol ?? '';
      const c =
        typeof connection === 'function'
          ? connection(protocol)
          : fakeConnection(protocol, incoming, connection);
      return async ? Promise.resolve(c) : c;
    },
  };
}

const KEY = 'dGhlIHNhbXBsZSBub25jZQ==';

/** The environ keys of a valid opening handshake offering chat and superchat, with `upgrade` set. */
function handshake(upgrade: unknown = offer(), change: Record<string, unknown> = {}) {
  return {
    HTTP_UPGRADE: 'websocket',
    HTTP_CONNECTION: 'Upgrade',
    HTTP_SEC_WEBSOCKET_KEY: KEY,
    HTTP_SEC_WEBSOCKET_VERSION: '13',
    HTTP_SEC_WEBSOCKET_PROTOCOL: 'chat, superchat',
    'tsgi.websocket': upgrade,
    ...change,
  };
}

const ws = (environ: Record<string, unknown>) => environ['tsgi.websocket'] as WebSocketUpgrade;

/** Accepts with `options`, runs `use` on the connection, closes it and returns `[]`. */
const accepting =
  (
    options?: unknown,
    use: (socket: Record<string, (...a: unknown[]) => unknown>) => unknown = () => {},
  ): Application =>
  async (environ) => {
    const socket = await ws(environ).accept(options as WebSocketAcceptOptions);
    await use(socket as never);
    await socket.close(1000, 'bye');
    await socket.closed;
    return [];
  };

/** Echoes every message, then closes with 1000. */
const echo = (options?: unknown): Application =>
  accepting(options, async (socket) => {
    for await (const message of socket as unknown as AsyncIterable<unknown>) {
      await socket.send!(message);
    }
  });

/** Runs one app over a fake offer, with `environ` changes. */
const upgraded = (name: string, app: Application, fake?: Fake, change?: Record<string, unknown>) =>
  served(name, app, handshake(offer(fake), change));

/** Accepts, sends `data` as the arguments of one `send()`, and closes. */
const sendThen = (data: unknown[]) => accepting(undefined, (socket) => socket.send!(...data));

/** Accepts and closes with these arguments. */
const closeWith =
  (...args: unknown[]): Application =>
  async (environ) => {
    const socket = await ws(environ).accept();
    await (socket.close as (...a: unknown[]) => Promise<void>)(...args);
    return [];
  };

/** A fake connection whose `closed` is made by `closed()` when the app accepts. */
const closing = (closed: () => Promise<unknown>): Fake => ({
  connection: (protocol) => fakeConnection(protocol, [], { closed: closed() }),
});

export const websocketCases: RuleTable = {
  'ws.1': {
    pass: [upgraded('the RFC 6455 sample handshake', echo())],
    fail: [
      upgraded('HTTP/1.0', echo(), {}, { SERVER_PROTOCOL: 'HTTP/1.0' }),
      // HTTP/2 has no Upgrade or Connection (env.24), and TSGI 1.0 has no RFC 8441 CONNECT.
      upgraded(
        'HTTP/2.0, as an extended CONNECT would come',
        echo(),
        {},
        {
          SERVER_PROTOCOL: 'HTTP/2.0',
          HTTP_UPGRADE: undefined,
          HTTP_CONNECTION: undefined,
        },
      ),
      upgraded('POST', echo(), {}, { REQUEST_METHOD: 'POST' }),
      upgraded('no Sec-WebSocket-Key', echo(), {}, { HTTP_SEC_WEBSOCKET_KEY: undefined }),
      upgraded('a subprotocol offered twice', echo(), {}, { HTTP_SEC_WEBSOCKET_PROTOCOL: 'a, a' }),
    ],
  },
  'ws.3': {
    pass: [
      served(
        'no subprotocol offered',
        echo(),
        handshake({ ...offer(), protocols: [] }, { HTTP_SEC_WEBSOCKET_PROTOCOL: undefined }),
      ),
    ],
    fail: [
      served('a string', echo(), handshake('websocket')),
      served(
        'protocols out of order',
        echo(),
        handshake({ ...offer(), protocols: ['superchat', 'chat'] }),
      ),
      served('no protocols', echo(), handshake({ accept: offer().accept })),
      served('accept not a function', echo(), handshake({ protocols: ['chat', 'superchat'] })),
    ],
  },
  'ws.4': {
    pass: [
      upgraded('accept() resolving to the connection', echo(), { async: true }),
      custom('through two validate() layers', (ctx) =>
        serve(ctx.validate(ctx.validate(echo())), makeEnviron(handshake())),
      ),
    ],
    fail: [
      upgraded('accept() twice', async (environ) => {
        ws(environ).accept();
        ws(environ).accept();
        return [];
      }),
      upgraded('accept() after startResponse', (environ, startResponse) => {
        startResponse('403 Forbidden', []);
        ws(environ).accept();
        return [];
      }),
      custom('accept() after the body was returned', async (ctx) => {
        let later: WebSocketUpgrade | undefined;
        const app = ctx.validate((environ) => {
          later = ws(environ);
          return [];
        });
        await app(makeEnviron(handshake()), () => async () => {});
        later!.accept();
      }),
    ],
  },
  'ws.5': {
    pass: [
      upgraded('the second subprotocol', echo({ protocol: 'superchat' })),
      upgraded('options without a protocol', echo({})),
    ],
    fail: [
      upgraded('a subprotocol not offered', echo({ protocol: 'other' })),
      upgraded('a number', echo({ protocol: 7 })),
      upgraded('a string for options', echo('chat')),
    ],
  },
  'ws.6': {
    pass: [upgraded('a cookie', echo({ headers: [['Set-Cookie', 'seen=1']] }))],
    fail: [
      upgraded('Sec-WebSocket-Protocol', echo({ headers: [['Sec-WebSocket-Protocol', 'chat']] })),
      upgraded('Upgrade', echo({ headers: [['upgrade', 'websocket']] })),
      upgraded('a CRLF in a value', echo({ headers: [['X-A', 'a\r\nb']] })),
      upgraded('an object', echo({ headers: { 'X-A': 'a' } })),
    ],
  },
  'ws.7': {
    pass: [
      upgraded('[]', echo()),
      upgraded('an empty chunk', async (environ) => {
        await ws(environ).accept();
        return [new Uint8Array()];
      }),
    ],
    fail: [
      upgraded('startResponse after accept()', async (environ, startResponse) => {
        await ws(environ).accept();
        startResponse('200 OK', []);
        return [];
      }),
      upgraded('body bytes after accept()', async (environ) => {
        await ws(environ).accept();
        return [bytes('x')];
      }),
    ],
  },
  'ws.10': {
    pass: [upgraded('the fake connection, resolved', echo({ protocol: 'chat' }), { async: true })],
    fail: [
      upgraded('null', echo(), { connection: () => null }),
      upgraded('the wrong protocol', echo(), { connection: () => fakeConnection('chat', []) }),
      upgraded('closed not a promise', echo(), { connection: { closed: undefined } }),
      upgraded('a send() that returns nothing', sendThen(['x']), { connection: { send() {} } }),
    ],
  },
  'ws.11': {
    pass: [
      upgraded('text and binary', echo(), { incoming: ['', 'é', bytes('x'), Buffer.from('y')] }),
    ],
    fail: [
      upgraded('a number', echo(), { incoming: [7] }),
      upgraded('an ArrayBuffer', echo(), { incoming: [new ArrayBuffer(1)] }),
    ],
  },
  'ws.13': {
    pass: [upgraded('a string', sendThen(['x'])), upgraded('bytes', sendThen([bytes('x')]))],
    fail: [
      upgraded('an ArrayBuffer', sendThen([new ArrayBuffer(1)])),
      upgraded('a number', sendThen([7])),
      upgraded('nothing', sendThen([])),
      upgraded('two messages', sendThen(['a', 'b'])),
    ],
  },
  'ws.15': {
    pass: [
      upgraded('no code', closeWith()),
      upgraded('4000 with a reason', closeWith(4000, 'done')),
      upgraded('1001', closeWith(1001)),
    ],
    fail: [
      upgraded('1006', closeWith(1006)),
      upgraded('1002', closeWith(1002)),
      upgraded('a reason of 124 bytes', closeWith(1000, 'x'.repeat(124))),
      upgraded('a number reason', closeWith(1000, 7)),
    ],
  },
  'ws.16': {
    pass: [
      upgraded('1000 and a reason', echo()),
      upgraded(
        '1006 when the peer dropped',
        closeWith(),
        closing(async () => ({ code: 1006, reason: '' })),
      ),
    ],
    fail: [
      upgraded(
        'no reason',
        closeWith(),
        closing(async () => ({ code: 1000 })),
      ),
      upgraded(
        'code 1004',
        closeWith(),
        closing(async () => ({ code: 1004, reason: '' })),
      ),
      upgraded(
        'a rejection',
        closeWith(),
        closing(async () => {
          throw new Error('lost');
        }),
      ),
    ],
  },
};
