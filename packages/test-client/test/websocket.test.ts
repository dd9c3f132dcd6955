// The WebSocket suite three ways: in-process (through validate()), over HTTP against
// serve() from @tsgi/node, and over HTTP against a bare ws server, the reference.
import { serve, type TsgiServer } from '@tsgi/node';
import { type Application, TsgiValidationError } from '@tsgi/spec';
import { afterEach, describe, expect, test } from 'vitest';
import { createClient, type TestClient } from '../src/index.ts';
import { IN_PROCESS_CAPACITY } from '../src/websocket/in-memory.ts';
import { bytes } from './apps.ts';
import { echo, websocketSuite } from './websocket-suite.ts';
import { type ReferenceServer, serveWithWs } from './ws-reference-server.ts';

const clients: TestClient[] = [];
const servers: Array<ReferenceServer | TsgiServer> = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

websocketSuite({
  mode: 'in-process',
  async client(app, options) {
    const client = createClient(app, options);
    clients.push(client);
    return client;
  },
});

websocketSuite({
  mode: 'http, @tsgi/node',
  async client(app, options = {}) {
    const server = await serve(app, { host: '127.0.0.1', port: 0 });
    servers.push(server);
    // The live server runs the app as is; validate only applies in-process.
    const { validate: _validate, ...rest } = options;
    const client = createClient(server.address.url, rest);
    clients.push(client);
    return client;
  },
});

websocketSuite({
  mode: 'http, bare ws server',
  async client(app, options = {}) {
    const server = await serveWithWs(app);
    servers.push(server);
    const { validate: _validate, ...rest } = options;
    const client = createClient(server.url, rest);
    clients.push(client);
    return client;
  },
});

describe('websockets in-process only', () => {
  const lateAnswer: Application = async (environ, startResponse) => {
    await environ['tsgi.websocket']!.accept();
    startResponse('200 OK', [['Content-Length', '2']]);
    return [bytes('ok')];
  };

  test('validate() catches an app that calls startResponse after accept(): closed rejects', async () => {
    const socket = await createClient(lateAnswer).websocket('/');
    const error = await socket.closed.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TsgiValidationError);
    expect((error as Error).message).toMatch(/startResponse was called after/);
  });

  test('without validate(), the client still refuses startResponse after accept()', async () => {
    const socket = await createClient(lateAnswer, { validate: false }).websocket('/');
    await expect(socket.closed).rejects.toThrow(
      /called startResponse after accepting the WebSocket/,
    );
  });

  test('an error the app throws after accept() closes with 1011 and rejects the reads', async () => {
    const app: Application = async (environ) => {
      await environ['tsgi.websocket']!.accept();
      throw new RangeError('room is full');
    };
    const socket = await createClient(app).websocket('/');
    await expect(socket.receive()).rejects.toThrow(RangeError);
    await expect(socket.closed).rejects.toThrow('room is full');
  });

  test('accept() with a subprotocol the client did not offer throws where the app called it', async () => {
    const app: Application = async (environ) => {
      await environ['tsgi.websocket']!.accept({ protocol: 'chat.v9' });
      return [];
    };
    await expect(
      createClient(app, { validate: false }).websocket('/', { protocols: 'chat.v1' }),
    ).rejects.toThrow(/did not offer/);
  });

  test('a plain request to a WebSocket app has no tsgi.websocket', async () => {
    const response = await createClient(echo).get('/');
    expect(response.status).toBe(426);
  });

  test('send() waits while the app does not read, and resumes when it does', async () => {
    let read: (() => void) | undefined;
    const app: Application = async (environ) => {
      const socket = await environ['tsgi.websocket']!.accept();
      read = () => {
        void socket[Symbol.asyncIterator]().next();
      };
      return [];
    };
    const socket = await createClient(app).websocket('/');
    let sent = 0;
    const sends: Promise<void>[] = [];
    for (let i = 0; i < IN_PROCESS_CAPACITY + 2; i++)
      sends.push(socket.send(`m${i}`).then(() => void sent++));
    await Promise.all(sends.slice(0, IN_PROCESS_CAPACITY));
    expect(sent).toBe(IN_PROCESS_CAPACITY);
    read?.();
    await sends[IN_PROCESS_CAPACITY];
    expect(sent).toBe(IN_PROCESS_CAPACITY + 1);
    await socket.close();
    await expect(Promise.all(sends)).rejects.toThrow(/closed/);
  });
});
