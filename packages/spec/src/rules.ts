import { bodyRules } from './rules/body.js';
import { environRules } from './rules/environ.js';
import { environUseRules } from './rules/environ-use.js';
import { inputRules } from './rules/input.js';
import { responseRules } from './rules/response.js';
import type { Rule } from './rules/rule.js';
import { serverRules } from './rules/server.js';
import { websocketRules } from './rules/websocket.js';

export type { Rule, RuleEnforcer } from './rules/rule.js';

/**
 * The registry of every numbered rule in SPEC.md, keyed by id (`section.n`).
 * Each rule is written once, in the file of `src/rules/` for its part of
 * SPEC.md, and gathered here in SPEC.md's order. `pnpm --filter @tsgi/spec
 * gen:spec` writes each rule into SPEC.md as `**[id]** text`, in the
 * `rules:<section>` region of its section and in the rule index, in this
 * order; `test/spec-sync.test.ts` fails when SPEC.md is not what that command
 * writes, when a `'validate'` rule has no check in `src/validate/`, or when it
 * lacks a passing and a failing test case.
 */
export const rules = {
  ...environRules,
  ...inputRules,
  ...responseRules,
  ...bodyRules,
  ...environUseRules,
  ...websocketRules,
  ...serverRules,
} as const satisfies Record<string, Rule>;

/** The id of a SPEC.md rule, e.g. `"env.3"`. */
export type RuleId = keyof typeof rules;
