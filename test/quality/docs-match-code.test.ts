/**
 * The docs name only what exists: every `Type.member` after one of the library's exports in
 * README.md, API.md and the doc comments under lib/, every `llama3-ft <command> --flag`, every
 * `-c key=value`; in the README every camelCase code span (a prop or member of some exported type),
 * every `--flag`, and every key of the context-key table, whose defaults are the props' own
 * `@default`s; package.json's version is the CHANGELOG's newest entry.
 * Read from the sources as text (no build): a renamed or removed name fails here, not in a user's hands.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';
import * as LIBRARY from '../../lib';
import { APP_CONTEXT_KEYS, KNOWN_KEYS } from '../../lib/app/context';
import { PREFLIGHT_FLAGS } from '../../lib/app/preflight';
import { CHAT_FLAGS } from '../../lib/cli/chat-command';
import { ESTIMATE_FLAGS } from '../../lib/cli/estimate-command';
import { EVALUATE_FLAGS } from '../../lib/cli/evaluate-command';
import { INVOKE_FLAGS } from '../../lib/cli/invoke-command';
import { COMMAND_NAMES } from '../../lib/cli/main';
import { SPLIT_FLAGS } from '../../lib/cli/split-command';
import { VALIDATE_DATA_FLAGS } from '../../lib/cli/validate-data-command';
import { apiNames } from '../support/api-names';
import {
  Doc,
  camelCaseSpans,
  commandReferences,
  contextFlagReferences,
  flagSpans,
  contextKeyTable,
  docComments,
  memberReferences,
  readDoc,
} from '../support/doc-references';
import { PropDefault, defaultValue, propDefaults } from '../support/prop-defaults';

const ROOT = join(__dirname, '..', '..');
const api = apiNames(ROOT);
const README = readDoc(ROOT, join(ROOT, 'README.md'));
const DOCS: Doc[] = [
  README,
  readDoc(ROOT, join(ROOT, 'API.md')),
  ...ts.sys
    .readDirectory(join(ROOT, 'lib'), ['.ts'], ['**/*.d.ts'])
    .map((path) => docComments(ROOT, path))
    .filter((doc) => doc.text.trim() !== ''),
];

const FLAGS: Record<string, object> = {
  chat: CHAT_FLAGS,
  'validate-data': VALIDATE_DATA_FLAGS,
  estimate: ESTIMATE_FLAGS,
  evaluate: EVALUATE_FLAGS,
  invoke: INVOKE_FLAGS,
  preflight: PREFLIGHT_FLAGS,
  split: SPLIT_FLAGS,
};

/** A member of an export: declared in the library, a prop of its `<Type>Props`, or inherited from outside. */
function isKnownMember(reference: string): boolean {
  const [type, written] = reference.split('.');
  // The README's Python examples name members as jsii generates them: snake_case.
  const member = written.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
  if (api.members.get(type)?.has(member) || api.members.get(`${type}Props`)?.has(member)) return true;
  if (!api.externalBases.has(type)) return false;
  // Inherited from aws-cdk-lib or constructs (e.g. `Llama3FineTuningStack.of`), whose sources are not read:
  // asked of the class itself, statics and methods. A field only instances hold is not seen.
  const value: unknown = (LIBRARY as Record<string, unknown>)[type];
  return typeof value === 'function' && (member in value || member in value.prototype);
}

/** camelCase code spans in the README that are not the library's API, each with what it is. */
const NOT_API: Record<string, string> = {
  handedOver: "a field of the wait signaller's log line (lib/handlers/signal-wait-condition.ts)",
  toString: "JavaScript's Buffer method, in the validator's performance notes",
  withPropNames: 'the internal helper that renames props in messages (lib/config/prop-names.ts)',
  beforeEach: "Jest's hook, in the contributor notes",
};

/** Flags in the README of other commands than llama3-ft, each with its command. */
const OTHER_FLAGS: Record<string, string> = {
  'role-arn': "cdk deploy's: CloudFormation's service role",
  'skip-tests': "npm run bench's (scripts/bench.ts)",
  'dataset-mb': "npm run bench's (scripts/bench.ts)",
  'synth-only': "npm run bench's (scripts/bench.ts)",
  group: "npm run test:mutation's (scripts/mutation.mjs)",
  force: "npm run test:mutation's, passed on to Stryker",
};

/** `-c key=value` itself: how the docs say how to set any key. */
const PLACEHOLDER = 'key';

describe('the docs name only what exists', () => {
  test('every Type.member after an export is a member, a prop or an inherited member', () => {
    const unknown = DOCS.flatMap((doc) => memberReferences(doc, api.exports)).filter((r) => !isKnownMember(r.name));
    expect(unknown.map((r) => `${r.where}: ${r.name}`)).toEqual([]);
  });

  test("this test knows every llama3-ft command's flag table", () => {
    expect(Object.keys(FLAGS).sort()).toEqual([...COMMAND_NAMES].sort());
  });

  test('every llama3-ft command exists and takes every flag written after it', () => {
    const unknown = DOCS.flatMap(commandReferences).flatMap((r) => {
      const flags = FLAGS[r.command];
      if (!COMMAND_NAMES.includes(r.command) || !flags) return [`${r.where}: llama3-ft ${r.command}`];
      return r.flags
        .filter((f) => !(f.replace(/_/g, '-') in flags))
        .map((f) => `${r.where}: llama3-ft ${r.command} --${f}`);
    });
    expect(unknown).toEqual([]);
  });

  test("every camelCase code span in the README is a member or prop of the library's API", () => {
    const known = new Set([...api.members.values()].flatMap((members) => [...members]));
    const unknown = camelCaseSpans(README).filter((r) => !known.has(r.name) && NOT_API[r.name] === undefined);
    expect(unknown.map((r) => `${r.where}: ${r.name}`)).toEqual([]);
  });

  test("every --flag in the README is some llama3-ft command's (in either spelling) or a named tool's", () => {
    // Deploy settings as flags (`--max-run`) are known too: estimate names and refuses them.
    const deploySettings = APP_CONTEXT_KEYS.map((k) => k.key.replace(/_/g, '-'));
    const known = new Set([...Object.values(FLAGS).flatMap((table) => Object.keys(table)), ...deploySettings]);
    const unknown = flagSpans(README).filter(
      (r) => !known.has(r.name.replace(/_/g, '-')) && OTHER_FLAGS[r.name] === undefined,
    );
    expect(unknown.map((r) => `${r.where}: --${r.name}`)).toEqual([]);
  });

  test('every -c key=value names a context key the app reads (or one the CDK toolkit sets)', () => {
    const unknown = DOCS.flatMap(contextFlagReferences).filter(
      (r) => !KNOWN_KEYS.includes(r.name) && !r.name.includes(':') && !r.name.startsWith('@') && r.name !== PLACEHOLDER,
    );
    expect(unknown.map((r) => `${r.where}: -c ${r.name}`)).toEqual([]);
  });
});

describe("the README's context-key table", () => {
  const rows = contextKeyTable(README);

  test('lists keys the app reads, and every key of the app', () => {
    const listed = rows.flatMap((r) => r.keys);
    expect(listed.filter((k) => !KNOWN_KEYS.includes(k))).toEqual([]);
    expect(APP_CONTEXT_KEYS.map((k) => k.key).filter((k) => !listed.includes(k))).toEqual([]);
  });

  test("gives each key's default as the stack prop it sets documents it", () => {
    const defaults = propDefaults(join(ROOT, 'lib', 'llama3-fine-tuning-stack.ts'), 'Llama3FineTuningStackProps');
    const valued: string[] = [];
    const mismatches = rows.flatMap((row) => {
      if (row.keys.length !== 1) return [];
      const key = APP_CONTEXT_KEYS.find((k) => k.key === row.keys[0]);
      const prop = key && stackProp(key.prop, defaults);
      if (!key || !prop) return [];
      const documented = /^`([^`]+)`/.exec(row.defaultCell)?.[1];
      const code = codeDefault(key.type, defaults.get(prop)!);
      if (code !== undefined) valued.push(key.key);
      return documented === code ? [] : [`${row.where}: ${key.key} is ${documented ?? '(prose)'}, ${prop} is ${code}`];
    });
    expect(mismatches).toEqual([]);
    // Not vacuous: the keys whose default is a value (not prose such as "the model's") were compared.
    expect(valued).toEqual(expect.arrayContaining(['model_id', 'max_run', 'compliance', 'encrypt_logs']));
    expect(valued.length).toBeGreaterThanOrEqual(12);
  });
});

/** The stack prop a context key sets: its own name, or a Duration prop for a `...Seconds` one. */
function stackProp(appProp: string, defaults: ReadonlyMap<string, PropDefault>): string | undefined {
  if (defaults.has(appProp)) return appProp;
  const stem = appProp.replace(/Seconds$/, '');
  return stem === appProp ? undefined : [...defaults.keys()].find((p) => p.startsWith(stem));
}

/** A prop's default as its context key is written: an enum member as its value, a switch that sets a struct off. */
function codeDefault(keyType: string, prop: PropDefault): string | undefined {
  const value = defaultValue(prop.tag ?? '');
  const member = value && /^([A-Z]\w*)\.([A-Z_]+)$/.exec(value);
  const enums = LIBRARY as unknown as Record<string, Record<string, string> | undefined>;
  if (member) return enums[member[1]]?.[member[2]];
  // `scale_to_zero=true` sets a struct (`endpointScaleToZero: { maxInstances }`): absent, the switch is off.
  if (value === undefined && keyType === 'bool' && prop.type !== 'boolean') return 'false';
  return value;
}

test("package.json's version is the CHANGELOG's newest entry", () => {
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const newest = /^## (\d+\.\d+\.\d+)/m.exec(readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8'))?.[1];
  expect(version).toBe(newest);
});
