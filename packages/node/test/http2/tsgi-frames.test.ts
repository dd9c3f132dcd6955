import { existsSync } from 'node:fs';
import { beforeAll } from 'vitest';
import { describeFrameConformance, PYTHON } from './conformance.ts';
import { startTsgiH2 } from './tsgi-server.ts';

// The frame-level HTTP/2 cases of cases.ts against tsgi's own HTTP/2 over
// TLS, held to what bare node:http2 does on the running Node major: tsgi
// passes every case bare node passes, and still answers after all of them.

beforeAll(() => {
  if (!existsSync(PYTHON))
    throw new Error(`${PYTHON} is missing: see scripts/install-system-deps.sh`);
});

describeFrameConformance('tsgi over TLS (ALPN h2)', () => startTsgiH2(), 'node');
