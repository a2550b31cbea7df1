// The fault set a test asks for, validated: unknown or ill-typed fields are an error, not ignored.
import type { Faults } from './test-switch-types.ts';

export type { Faults };

const NUMBER_FAULTS = [
  'status',
  'after',
  'retryAfter',
  'unauthorizedAfter',
  'truncateTo',
  'resetAfterBytes',
  'bandwidth',
  'latency',
  'etagChangeAfter',
  'maxRanges',
] as const;
const BOOLEAN_FAULTS = ['html', 'ignoreRange', 'badContentRange', 'hang'] as const;

/** Validates a fault object from a test; unknown or ill-typed fields are an error, not ignored. */
export function parseFaults(input: unknown): Faults {
  if (input === undefined || input === null) return {};
  if (typeof input !== 'object' || Array.isArray(input)) throw new Error('faults must be an object');
  const faults: Faults = {};
  for (const [name, value] of Object.entries(input as Record<string, unknown>)) {
    if ((NUMBER_FAULTS as readonly string[]).includes(name)) {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number ≥ 0`);
      faults[name as (typeof NUMBER_FAULTS)[number]] = value;
    } else if ((BOOLEAN_FAULTS as readonly string[]).includes(name)) {
      if (typeof value !== 'boolean') throw new Error(`${name} must be a boolean`);
      faults[name as (typeof BOOLEAN_FAULTS)[number]] = value;
    } else if (name === 'multiRange') {
      if (value !== 'ignore' && value !== 'merge' && value !== 'lie') throw new Error('multiRange must be ignore, merge or lie');
      faults.multiRange = value;
    } else if (name === 'redirectTo') {
      if (typeof value !== 'string') throw new Error('redirectTo must be a string');
      faults.redirectTo = value;
    } else {
      throw new Error(`unknown fault ${name}`);
    }
  }
  if (faults.status !== undefined && (faults.status < 100 || faults.status > 599)) throw new Error('status out of range');
  return faults;
}
