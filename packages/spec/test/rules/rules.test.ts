import { describe, expect, test } from 'vitest';
import {
  type TsgiValidationError,
  TsgiValidationError as ValidationError,
  validate,
} from '../../src/index.ts';
import { allCases } from './all.ts';
import type { Ctx, RuleTable } from './cases.ts';

function context(): { ctx: Ctx; reported: TsgiValidationError[] } {
  const reported: TsgiValidationError[] = [];
  return {
    reported,
    ctx: { validate: (app) => validate(app, { onViolation: (error) => reported.push(error) }) },
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

function runTable(table: RuleTable) {
  for (const [id, cases] of Object.entries(table)) {
    describe(id, () => {
      for (const c of cases!.pass) {
        test(`passes: ${c.name}`, async () => {
          const { ctx, reported } = context();
          await c.run(ctx);
          await settle();
          expect(reported).toEqual([]);
        });
      }
      for (const c of cases!.fail) {
        test(`fails: ${c.name}`, async () => {
          const { ctx, reported } = context();
          let thrown: unknown;
          try {
            await c.run(ctx);
          } catch (error) {
            thrown = error;
          }
          await settle();
          const error = thrown ?? reported[0];
          expect(error).toBeInstanceOf(ValidationError);
          expect((error as TsgiValidationError).rule).toBe(id);
          expect((error as TsgiValidationError).message.startsWith(`[${id}] `)).toBe(true);
        });
      }
    });
  }
}

for (const [section, table] of Object.entries(allCases)) {
  describe(section, () => runTable(table));
}
