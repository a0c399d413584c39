/**
 * A value against a shape of a SageMaker request model (lib/models/request-model.ts): member
 * names, types, required members, enums, lengths, ranges and patterns, each problem in the
 * library's wording (path, value, allowed, fix). Strings and numbers that are tokens are decided
 * at deploy time and pass; a token where an object or a list belongs cannot be checked, and is
 * refused.
 */
import { Token } from 'aws-cdk-lib';
import { closest } from './did-you-mean';
import { showValue } from './show-value';
import type { AggregateShape, RequestModel, ShapeRef, SimpleShape } from '../models/request-model';

/** Enums longer than this are named and sampled in messages, not listed whole. */
const LISTED_ENUM_VALUES = 12;

const ANY_STRING = ['.*', '.+', '[\\S\\s]*', '[\\s\\S]*'];

/** A member path as messages show it: `.Member`, or `["key"]` for a map key that is not an identifier. */
export function memberPath(path: string, key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Token.isUnresolved(value);
}

/** What a shape takes, in words. */
export function describeShape(model: RequestModel, ref: ShapeRef): string {
  const shape = resolveShape(model, ref);
  switch (shape.type) {
    case 'structure':
      return `an object of ${typeof ref === 'string' ? `${ref}'s ` : ''}members ${Object.keys(shape.members).join(', ')}`;
    case 'list':
      return `a list${bounds(shape, 'item')} of ${describeShape(model, shape.member)}`;
    case 'map':
      return `an object${bounds(shape, 'entry', 'entries')} whose keys are ${describeShape(model, shape.key)} and values ${describeShape(model, shape.value)}`;
    case 'boolean':
      return 'true or false';
    case 'string': {
      if (shape.enum) return describeEnum(model, shape.enum);
      // Patterns that take any string say nothing worth reading.
      const pattern = shape.pattern && !ANY_STRING.includes(shape.pattern) ? ` matching ${shape.pattern}` : '';
      return `a string${bounds(shape, 'character')}${pattern}`;
    }
    case 'integer':
    case 'long':
      return `an integer${range(shape)}`;
    default:
      return `a number${range(shape)}`;
  }
}

function describeEnum(model: RequestModel, name: string): string {
  const values = model.enums[name];
  if (values.length <= LISTED_ENUM_VALUES) return `one of ${values.map((v) => JSON.stringify(v)).join(', ')}`;
  return `one of the ${values.length} values of SageMaker's ${name} (${values
    .slice(0, 3)
    .map((v) => JSON.stringify(v))
    .join(', ')}, ...)`;
}

function bounds(shape: { min?: number; max?: number }, unit: string, units = `${unit}s`): string {
  const { min, max } = shape;
  if (min !== undefined && min > 0 && max !== undefined) return ` of ${min} to ${max} ${units}`;
  if (max !== undefined) return ` of at most ${max} ${max === 1 ? unit : units}`;
  if (min !== undefined && min > 0) return ` of at least ${min} ${min === 1 ? unit : units}`;
  return '';
}

function range(shape: SimpleShape): string {
  const { min, max } = shape;
  if (min !== undefined && max !== undefined) return ` from ${min} to ${max}`;
  if (min !== undefined) return ` >= ${min}`;
  if (max !== undefined) return ` <= ${max}`;
  return '';
}

export function resolveShape(model: RequestModel, ref: ShapeRef): AggregateShape | SimpleShape {
  return typeof ref === 'string' ? model.shapes[ref] : ref;
}

/** The problem of a value that is not what its shape takes, with the usual ending. */
function wrong(model: RequestModel, ref: ShapeRef, path: string, value: unknown, why = ''): string {
  const allowed = describeShape(model, ref);
  return `${path} is ${showValue(value)}${why}; allowed: ${allowed}. Fix: give ${allowed}, or remove ${path}.`;
}

/** Every problem with `value` as the shape `ref` at `path` (empty when SageMaker would take it). */
export function shapeProblems(model: RequestModel, ref: ShapeRef, value: unknown, path: string): string[] {
  const shape = resolveShape(model, ref);
  switch (shape.type) {
    case 'structure':
      return structureProblems(model, ref as string, value, path);
    case 'list':
      return listProblems(model, ref, shape.member, value, path, shape);
    case 'map':
      return mapProblems(model, ref, value, path);
    default:
      return simpleProblems(model, shape, value, path);
  }
}

function tokenProblem(model: RequestModel, ref: ShapeRef, path: string): string {
  return (
    `${path} is a token, whose members cannot be checked at synth; allowed: ${describeShape(model, ref)}, given in place ` +
    '(its string and number members may be tokens). Fix: write the object or list out, with tokens only in its leaves.'
  );
}

function structureProblems(model: RequestModel, name: string, value: unknown, path: string): string[] {
  if (Token.isUnresolved(value)) return [tokenProblem(model, name, path)];
  if (!isPlainObject(value)) return [wrong(model, name, path, value)];
  const shape = model.shapes[name] as Extract<AggregateShape, { type: 'structure' }>;
  const known = Object.keys(shape.members);
  const problems: string[] = [];
  for (const member of shape.required ?? []) {
    if (value[member] === undefined) {
      problems.push(
        `${path}.${member} is missing; SageMaker requires it in ${name}. Fix: add ${member} (${describeShape(model, shape.members[member])}).`,
      );
    }
  }
  for (const [member, memberValue] of Object.entries(value)) {
    if (memberValue === undefined) continue;
    if (!known.includes(member)) {
      problems.push(unknownMemberProblem(path, member, name, known));
      continue;
    }
    problems.push(...shapeProblems(model, shape.members[member], memberValue, `${path}.${member}`));
  }
  return problems;
}

/** A member the shape does not have, with the one it most likely meant. */
export function unknownMemberProblem(path: string, member: string, shapeName: string, known: string[]): string {
  const guess = closest(member, known) ?? known.find((k) => k.toLowerCase() === member.toLowerCase());
  return (
    `${memberPath(path, member)} is not a member of SageMaker's ${shapeName}; allowed: ${known.join(', ')}. ` +
    `Fix: ${guess ? `did you mean ${guess}? Rename it` : 'remove it, or correct its name'}.`
  );
}

function listProblems(
  model: RequestModel,
  ref: ShapeRef,
  member: ShapeRef,
  value: unknown,
  path: string,
  shape: { min?: number; max?: number },
): string[] {
  if (Token.isUnresolved(value)) return [tokenProblem(model, ref, path)];
  if (!Array.isArray(value)) return [wrong(model, ref, path, value)];
  const count = countProblem(model, ref, path, value.length, shape, 'items');
  return [
    ...(count ? [count] : []),
    ...value.flatMap((item, i) => shapeProblems(model, member, item, `${path}[${i}]`)),
  ];
}

function mapProblems(model: RequestModel, ref: ShapeRef, value: unknown, path: string): string[] {
  if (Token.isUnresolved(value)) return [tokenProblem(model, ref, path)];
  if (!isPlainObject(value)) return [wrong(model, ref, path, value)];
  const shape = resolveShape(model, ref) as Extract<AggregateShape, { type: 'map' }>;
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  const count = countProblem(model, ref, path, entries.length, shape, 'entries');
  return [
    ...(count ? [count] : []),
    ...entries.flatMap(([key, entry]) => {
      const at = memberPath(path, key);
      const keyProblems = simpleProblems(model, resolveShape(model, shape.key) as SimpleShape, key, `${at} (its key)`);
      return [...keyProblems, ...shapeProblems(model, shape.value, entry, at)];
    }),
  ];
}

function countProblem(
  model: RequestModel,
  ref: ShapeRef,
  path: string,
  count: number,
  shape: { min?: number; max?: number },
  unit: string,
): string | undefined {
  if ((shape.min === undefined || count >= shape.min) && (shape.max === undefined || count <= shape.max))
    return undefined;
  const allowed = describeShape(model, ref);
  return `${path} has ${count} ${unit}; allowed: ${allowed}. Fix: give between ${shape.min ?? 0} and ${shape.max ?? 'any number of'} ${unit}.`;
}

function simpleProblems(model: RequestModel, shape: SimpleShape, value: unknown, path: string): string[] {
  const allowed = describeShape(model, shape);
  const fail = (why = '', fix = `give ${allowed}`) => [
    `${path} is ${showValue(value)}${why}; allowed: ${allowed}. Fix: ${fix}, or remove ${path}.`,
  ];
  switch (shape.type) {
    case 'boolean':
      return typeof value === 'boolean'
        ? []
        : fail('', `pass a boolean${typeof value === 'string' ? ', not a string' : ''}`);
    case 'string': {
      if (typeof value !== 'string') return fail();
      if (Token.isUnresolved(value)) return [];
      if (shape.enum) {
        const values = model.enums[shape.enum];
        if (values.includes(value)) return [];
        const guess = closest(value, values) ?? values.find((v) => v.toLowerCase() === value.toLowerCase());
        return fail('', guess ? `use "${guess}", the closest value` : `give ${allowed}`);
      }
      if (shape.min !== undefined && value.length < shape.min) return fail(` (${value.length} characters)`);
      if (shape.max !== undefined && value.length > shape.max) return fail(` (${value.length} characters)`);
      if (shape.pattern && !new RegExp(`^(?:${shape.pattern})$`, 'u').test(value))
        return fail(', which does not match');
      return [];
    }
    case 'timestamp':
    case 'blob':
      // Not in any member a pass-through may set; SageMaker decides.
      return [];
    default: {
      if (typeof value === 'number' && Token.isUnresolved(value)) return [];
      const integral = shape.type === 'integer' || shape.type === 'long';
      const ok =
        typeof value === 'number' &&
        Number.isFinite(value) &&
        (!integral || Number.isInteger(value)) &&
        (shape.min === undefined || value >= shape.min) &&
        (shape.max === undefined || value <= shape.max);
      return ok ? [] : fail();
    }
  }
}
