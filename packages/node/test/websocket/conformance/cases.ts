/**
 * Every conformance case, in Autobahn|Testsuite's order: sections 1–7, 9
 * (at smaller sizes) and 10.
 */

import { FRAMING } from './1-framing.js';
import { PINGS } from './2-pings.js';
import { RESERVED_BITS } from './3-reserved-bits.js';
import { OPCODES } from './4-opcodes.js';
import { FRAGMENTATION } from './5-fragmentation.js';
import { UTF8 } from './6-utf8.js';
import { CLOSE } from './7-close.js';
import { LIMITS } from './9-limits.js';
import { MISC } from './10-misc.js';
import type { ConformanceCase } from './case.js';

/** All cases, in order. */
export const ALL_CASES: readonly ConformanceCase[] = [
  ...FRAMING,
  ...PINGS,
  ...RESERVED_BITS,
  ...OPCODES,
  ...FRAGMENTATION,
  ...UTF8,
  ...CLOSE,
  ...LIMITS,
  ...MISC,
];
