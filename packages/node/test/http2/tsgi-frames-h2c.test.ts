import { existsSync } from 'node:fs';
import { beforeAll } from 'vitest';
import { describeFrameConformance, PYTHON } from './conformance.ts';
import { startTsgiH2c } from './tsgi-server.ts';

// The frame-level HTTP/2 cases of cases.ts against tsgi's cleartext HTTP/2
// (prior knowledge, beside HTTP/1.1 on the same port), held to what bare
// node:http2 does in cleartext on the running Node major.

beforeAll(() => {
  if (!existsSync(PYTHON))
    throw new Error(`${PYTHON} is missing: see scripts/install-system-deps.sh`);
});

describeFrameConformance('tsgi h2c (prior knowledge)', () => startTsgiH2c(), 'node');
