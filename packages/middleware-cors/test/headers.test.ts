import type { Application, HeaderList } from '@tsgi/spec';
import { createClient } from '@tsgi/test-client';
import { describe, expect, it } from 'vitest';
import { cors } from '../src/index.ts';
import { recordingApp, values } from './apps.ts';

const A = 'https://a.example';

describe("merging with the app's headers", () => {
  it.each([
    [[['Vary', 'Accept-Encoding']], ['Accept-Encoding, Origin']],
    [[['vary', 'accept-encoding, origin']], ['accept-encoding, origin']],
    [[['Vary', '*']], ['*']],
    [
      [
        ['Vary', 'Accept'],
        ['Vary', 'Cookie'],
      ],
      ['Accept, Origin', 'Cookie'],
    ],
    [[['Vary', '']], ['Origin']],
  ] as Array<[HeaderList, string[]]>)('Vary %j becomes %j', async (appHeaders, expected) => {
    const res = await createClient(cors(recordingApp(appHeaders), { origin: A })).get('/', {
      headers: { Origin: A },
    });
    expect(values(res.headerList, 'vary')).toEqual(expected);
  });

  it('leaves a CORS header the app set itself alone (no duplicate)', async () => {
    const app = recordingApp([['access-control-allow-origin', 'https://mine.example']]);
    const res = await createClient(cors(app, { origin: A, credentials: true })).get('/', {
      headers: { Origin: A },
    });
    expect(values(res.headerList, 'access-control-allow-origin')).toEqual(['https://mine.example']);
    expect(values(res.headerList, 'access-control-allow-credentials')).toEqual(['true']);
  });

  it('never mutates the header list the app passed (it may be a shared constant)', async () => {
    const shared: HeaderList = [
      ['Content-Type', 'text/plain'],
      ['Vary', 'Accept-Encoding'],
    ];
    const app: Application = (_environ, startResponse) => {
      startResponse('200 OK', shared);
      return [];
    };
    const client = createClient(cors(app, { origin: A }));
    for (let i = 0; i < 3; i++) {
      const res = await client.get('/', { headers: { Origin: A } });
      expect(values(res.headerList, 'access-control-allow-origin')).toEqual([A]);
      expect(values(res.headerList, 'vary')).toEqual(['Accept-Encoding, Origin']);
    }
    expect(shared).toEqual([
      ['Content-Type', 'text/plain'],
      ['Vary', 'Accept-Encoding'],
    ]);
  });

  it('puts the CORS headers on an error response that replaces the first (excInfo)', async () => {
    const app: Application = (_environ, startResponse) => {
      startResponse('200 OK', [['Content-Type', 'text/plain']]);
      startResponse('500 Internal Server Error', [['Content-Type', 'text/plain']], new Error('x'));
      return [new TextEncoder().encode('failed')];
    };
    const res = await createClient(cors(app, { origin: A })).get('/', {
      headers: { Origin: A },
    });
    expect(res.status).toBe(500);
    expect(values(res.headerList, 'access-control-allow-origin')).toEqual([A]);
    expect(values(res.headerList, 'vary')).toEqual(['Origin']);
  });

  it('keeps streaming bodies and close() intact', async () => {
    let closes = 0;
    const app: Application = (_environ, startResponse) => {
      startResponse('200 OK', [['Content-Type', 'text/plain']]);
      const body = (async function* () {
        yield new TextEncoder().encode('a');
        yield new TextEncoder().encode('b');
      })();
      return Object.assign(body, {
        close() {
          closes++;
        },
      });
    };
    const res = await createClient(cors(app)).get('/', { headers: { Origin: A } });
    expect(await res.text()).toBe('ab');
    expect(closes).toBe(1);
  });
});

describe('options are checked up front', () => {
  it.each([
    [{ origin: 'https://a.example/' }, /did you mean "https:\/\/a\.example"/],
    [{ origin: 'HTTPS://A.example' }, /did you mean "https:\/\/a\.example"/],
    [{ origin: 'a.example' }, /not an origin/],
    [{ origin: ['*'] }, /use origin: '\*'/],
    [{ origin: 42 }, /"origin" must be/],
    [{ methods: ['GET', 'BAD METHOD'] }, /"methods"/],
    [{ methods: '*', credentials: true }, /'\*' with credentials/],
    [{ allowedHeaders: ['*'], credentials: true }, /'\*' with credentials/],
    [{ exposedHeaders: ['*'], credentials: true }, /'\*' with credentials/],
    [{ maxAge: -1 }, /maxAge/],
    [{ maxAge: 1.5 }, /maxAge/],
    [{ preflightStatus: 201 }, /preflightStatus/],
    [{ credentials: 'yes' }, /credentials/],
  ])('rejects %o', (options, message) => {
    expect(() => cors(recordingApp(), options as never)).toThrow(TypeError);
    expect(() => cors(recordingApp(), options as never)).toThrow(message);
  });

  it("allows '*' in methods and headers without credentials", async () => {
    const app = cors(recordingApp(), { methods: '*', allowedHeaders: '*', exposedHeaders: '*' });
    const res = await createClient(app).options('/', {
      headers: { Origin: A, 'Access-Control-Request-Method': 'PATCH' },
    });
    expect(res.headers.get('access-control-allow-methods')).toBe('*');
    expect(res.headers.get('access-control-allow-headers')).toBe('*');
  });
});
