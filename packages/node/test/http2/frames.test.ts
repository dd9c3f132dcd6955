import { existsSync } from 'node:fs';
import { beforeAll } from 'vitest';
import { describeFrameConformance, PYTHON } from './conformance.ts';
import { startNodeH2 } from './server.ts';

// The frame-level HTTP/2 cases of cases.ts against bare node:http2, held to
// what the running Node major does (its deviations from RFC 9113 are recorded
// per major in cases.ts).

beforeAll(() => {
  if (!existsSync(PYTHON))
    throw new Error(`${PYTHON} is missing: see scripts/install-system-deps.sh`);
});

describeFrameConformance('bare node:http2 over TLS (ALPN h2)', () => startNodeH2(true), 'node');
describeFrameConformance(
  'bare node:http2 cleartext (prior knowledge)',
  () => startNodeH2(false),
  'node',
);
