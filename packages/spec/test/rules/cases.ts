import type { Application, RuleId } from '../../src/index.ts';
import { makeEnviron, serve } from '../harness.ts';

/** What a case gets: `validate` bound to an `onViolation` the runner collects. */
export interface Ctx {
  validate(app: Application): Application;
}

/** One passing or failing scenario for a rule. */
export interface RuleCase {
  name: string;
  run(ctx: Ctx): unknown;
}

/** Cases keyed by rule id: every `'validate'` rule has at least one of each. */
export type RuleTable = Partial<Record<RuleId, { pass: RuleCase[]; fail: RuleCase[] }>>;

/** A case that serves `app`, wrapped in validate(), with the in-memory server on `environ` overrides. */
export function served(
  name: string,
  app: Application,
  environ: Record<string, unknown> = {},
): RuleCase {
  return { name, run: (ctx) => serve(ctx.validate(app), makeEnviron(environ)) };
}

/** A case with a custom run. */
export function custom(name: string, run: (ctx: Ctx) => unknown): RuleCase {
  return { name, run };
}
