import { TsgiValidationError } from '../errors.js';
import { type RuleId, rules } from '../rules.js';

/**
 * Builds the error for a broken rule: the message starts with `[id]`, says
 * what was seen, and ends with the rule's sentence from SPEC.md.
 */
export function violation(rule: RuleId, detail: string): TsgiValidationError {
  return new TsgiValidationError(rule, `${detail}. SPEC.md: ${rules[rule].text}`);
}

/** A short, safe rendering of any value for an error message. */
export function show(value: unknown): string {
  if (typeof value === 'string')
    return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
  if (value instanceof Uint8Array) return `${value.constructor.name}(${value.byteLength})`;
  if (Array.isArray(value)) return `array(${value.length})`;
  if (value === null) return 'null';
  if (typeof value === 'object') return `object ${value.constructor?.name ?? 'Object'}`;
  if (typeof value === 'function') return 'a function';
  return String(value);
}
