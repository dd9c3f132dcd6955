/**
 * The framing corpus: raw HTTP/1.x requests, each with the RFC section it
 * tests and what `@tsgi/node` answers. `../corpus.test.ts` sends every request
 * over a real socket to `serve()` and to a plain `http.createServer`, and the
 * "What we reject beyond Node" table of docs/packages/node/errors.md is
 * rendered from the cases marked `beyondNode` (with raw `node:http`'s
 * outcome, checked live).
 *
 * An outcome is the list of status codes read back on the connection, in
 * order; `[]` means the connection was closed without an answer.
 */
export type { FramingCase } from './case.js';

import { bodyCases } from './body.js';
import type { FramingCase } from './case.js';
import { connectionCases } from './connection.js';
import { fieldsCases } from './fields.js';
import { requestLineCases } from './request-line.js';

/**
 * The Node major whose outcomes `tsgi` and `node` record (llhttp's strictness
 * changes between majors). On it the corpus test checks both exactly; on
 * another it accepts that llhttp now refuses a shape itself, and prints how
 * raw `node:http` differs.
 */
export const RECORDED_ON = 20;

/** Every case, in the errors page's order; names are unique. */
export const corpus: readonly FramingCase[] = [
  ...requestLineCases,
  ...fieldsCases,
  ...bodyCases,
  ...connectionCases,
];
