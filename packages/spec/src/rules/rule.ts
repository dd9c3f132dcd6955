/**
 * Who enforces a rule: `'validate'` rules are checked by `validate()` at run
 * time; `'server'` rules are duties a lint in front of the application cannot
 * see (what goes on the wire), tested by the server packages' own tests.
 */
export type RuleEnforcer = 'validate' | 'server';

/** One numbered rule of SPEC.md. */
export interface Rule {
  /** The normative sentence; SPEC.md's `**[id]**` line is generated from it. */
  readonly text: string;
  /** Who checks it. */
  readonly enforcedBy: RuleEnforcer;
}
