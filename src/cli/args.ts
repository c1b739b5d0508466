// Reading parsed option values: every check throws a UsageError naming the flag.
import type { ParsedValues } from './command.ts';
import { UsageError } from './command.ts';

export function flag(name: string): string {
  return `--${name}`;
}

export function optional(values: ParsedValues, name: string): string | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new UsageError(`${flag(name)} needs a value`);
  return v;
}

export function required(values: ParsedValues, name: string): string {
  const v = optional(values, name);
  if (v === undefined) throw new UsageError(`missing ${flag(name)}`);
  if (v.trim() === '') throw new UsageError(`${flag(name)} must not be empty`);
  return v;
}

export function oneOf<V extends string>(values: ParsedValues, name: string, allowed: readonly V[]): V | undefined {
  const v = optional(values, name);
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v)) {
    throw new UsageError(`${flag(name)} must be one of ${allowed.join(', ')} (got "${v}")`);
  }
  return v as V;
}

export function requiredOneOf<V extends string>(values: ParsedValues, name: string, allowed: readonly V[]): V {
  const v = oneOf(values, name, allowed);
  if (v === undefined) throw new UsageError(`missing ${flag(name)} (${allowed.join('|')})`);
  return v;
}

export function intInRange(values: ParsedValues, name: string, dflt: number, min: number, max: number): number {
  const raw = optional(values, name);
  if (raw === undefined) return dflt;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`${flag(name)} must be an integer from ${min} to ${max} (got "${raw}")`);
  }
  return n;
}
