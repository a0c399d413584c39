/**
 * `npm run request-model:import`: writes lib/models/create-training-job-request.ts, the
 * CreateTrainingJob input shape tree that synth checks additionalTrainingJobParameters against.
 *
 * Sources, each for what it alone has:
 * - the AWS SDK for JavaScript in node_modules (@aws-sdk/client-sagemaker, the version the
 *   handlers are bundled with, so what synth admits is what the handler can send): its Smithy
 *   schemas give every member, its type and the required ones; its type declarations say
 *   which members take an enum, whose values it exports;
 * - botocore's copy of the same service model (Python; the one
 *   /work/shared/tools/check_sagemaker_request.py reads), for the constraints the JavaScript SDK
 *   strips (min, max, pattern) and whether a number is integral, on members it has too.
 *
 * `--check` writes nothing and exits 1 when the stored file differs from what it would write.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AggregateShape, RequestModel, ShapeRef, SimpleShape } from '../lib/models/request-model';

const ROOT = join(__dirname, '..');
export const REQUEST_MODEL_FILE = join(ROOT, 'lib', 'models', 'create-training-job-request.ts');
const SDK = '@aws-sdk/client-sagemaker';

/** A Smithy schema as the SDK encodes it: a number for a simple type, an array for the rest, a thunk for a ref. */
type Schema = number | unknown[] | (() => Schema);

/** botocore's shape, as far as the constraints go. */
interface BotoShape {
  type: string;
  min?: number;
  max?: number;
  pattern?: string;
  members?: Record<string, string>;
  member?: string;
  key?: string;
  value?: string;
}

const BOTOCORE_DUMP = `
import json, botocore, botocore.session
loader = botocore.session.get_session().get_component("data_loader")
shapes = loader.load_service_model("sagemaker", "service-2")["shapes"]
out = {}
for name, s in shapes.items():
    d = {k: s[k] for k in ("type", "min", "max", "pattern") if k in s}
    if "members" in s: d["members"] = {m: r["shape"] for m, r in s["members"].items()}
    for k in ("member", "key", "value"):
        if k in s: d[k] = s[k]["shape"]
    out[name] = d
print(json.dumps({"version": botocore.__version__, "shapes": out}))
`;

/** botocore's SageMaker shapes and its version. */
export function botocoreShapes(): { version: string; shapes: Record<string, BotoShape> } {
  return JSON.parse(execFileSync('python3', ['-c', BOTOCORE_DUMP], { encoding: 'utf8', maxBuffer: 64 << 20 }));
}

/** Each interface's members' declared types, from the SDK's declarations (`Member?: Type | undefined;`). */
function declaredTypes(typesDir: string): Map<string, Map<string, string>> {
  const interfaces = new Map<string, Map<string, string>>();
  for (const file of readdirSync(typesDir).filter((f) => /^models_\d+\.d\.ts$/.test(f))) {
    let current: Map<string, string> | undefined;
    for (const line of readFileSync(join(typesDir, file), 'utf8').split('\n')) {
      const start = /^export interface (\w+) \{/.exec(line);
      if (start) interfaces.set(start[1], (current = new Map()));
      else if (line.startsWith('}')) current = undefined;
      const member = current && /^ {4}(\w+)\??: (.+?)( \| undefined)?;$/.exec(line);
      if (member) current!.set(member[1], member[2]);
    }
  }
  return interfaces;
}

/** The simple type a Smithy schema number stands for (see @smithy/core/schema's SCHEMA). */
function simpleType(code: number): SimpleShape['type'] {
  if (code === 0) return 'string';
  if (code === 1) return 'number';
  if (code === 2) return 'boolean';
  if (code >= 4 && code <= 7) return 'timestamp';
  if (code === 21) return 'blob';
  throw new Error(`unexpected simple schema ${code}`);
}

const BOTO_NUMBERS = ['integer', 'long', 'float', 'double'];

/** Builds the request model of CreateTrainingJob from the SDK in node_modules and botocore. */
export function buildRequestModel(): RequestModel {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk = require(SDK) as Record<string, unknown>;
  const sdkDir = dirname(require.resolve(`${SDK}/package.json`));
  const sdkVersion = JSON.parse(readFileSync(join(sdkDir, 'package.json'), 'utf8')).version as string;
  const declared = declaredTypes(join(sdkDir, 'dist-types', 'models'));
  const boto = botocoreShapes();
  const shapes: Record<string, AggregateShape> = {};
  const enums: Record<string, string[]> = {};

  const constraints = (b: BotoShape | undefined): Pick<SimpleShape, 'min' | 'max' | 'pattern'> => {
    if (!b) return {};
    const out: { min?: number; max?: number; pattern?: string } = {};
    if (b.min !== undefined) out.min = b.min;
    if (b.max !== undefined) out.max = b.max;
    // Kept only if JavaScript reads it as the service does: a pattern JavaScript cannot compile is left to the service.
    if (b.pattern !== undefined && compiles(b.pattern)) out.pattern = b.pattern;
    return out;
  };

  /** An enum's values by the type name the declarations give, if it is one. */
  const enumOf = (typeName: string | undefined): string | undefined => {
    const values = typeName && /^\w+$/.test(typeName) ? sdk[typeName] : undefined;
    if (!values || typeof values !== 'object' || Array.isArray(values)) return undefined;
    enums[typeName!] = Object.values(values as Record<string, string>).sort();
    return typeName;
  };

  const visit = (schema: Schema, botoName: string | undefined, declaredType: string | undefined): ShapeRef => {
    while (typeof schema === 'function') schema = schema();
    if (Array.isArray(schema) && schema[0] === 0) schema = schema[4] as Schema; // a member with traits of its own
    const b = botoName ? boto.shapes[botoName] : undefined;
    if (typeof schema === 'number') {
      if (schema >= 64 && schema < 128) return list(schema & 63, botoName, declaredType);
      if (schema >= 128) return map(schema & 127, botoName);
      let type = simpleType(schema);
      if (type === 'number' && b && BOTO_NUMBERS.includes(b.type)) type = b.type as SimpleShape['type'];
      const enumName = type === 'string' ? enumOf(declaredType) : undefined;
      return { type, ...(enumName ? { enum: enumName } : {}), ...constraints(b) };
    }
    const [kind, , name] = schema as [number, string, string];
    if (shapes[name]) return name;
    if (kind === 3) {
      const [, , , , memberNames, memberSchemas, requiredCount] = schema as [
        number,
        string,
        string,
        unknown,
        string[],
        Schema[],
        number | undefined,
      ];
      const members: Record<string, ShapeRef> = {};
      const shape = { type: 'structure' as const, members, required: memberNames.slice(0, requiredCount ?? 0) };
      shapes[name] = shape; // before the members: a structure may contain itself
      const declaredMembers = declared.get(name);
      memberNames.forEach((member, i) => {
        members[member] = visit(memberSchemas[i], b?.members?.[member], declaredMembers?.get(member));
      });
      if (shape.required.length === 0) delete (shape as { required?: string[] }).required;
      return name;
    }
    if (kind === 1) {
      shapes[name] = { type: 'list', member: '', ...constraints(b) } as AggregateShape;
      (shapes[name] as { member: ShapeRef }).member = visit(
        (schema as Schema[])[4],
        b?.member,
        elementType(declaredType),
      );
      return name;
    }
    if (kind === 2) {
      shapes[name] = { type: 'map', key: '', value: '', ...constraints(b) } as AggregateShape;
      const entry = shapes[name] as { key: ShapeRef; value: ShapeRef };
      entry.key = visit((schema as Schema[])[4], b?.key, undefined);
      entry.value = visit((schema as Schema[])[5], b?.value, undefined);
      return name;
    }
    throw new Error(`unexpected schema kind ${kind} (${name})`);
  };

  // Lists and maps of simple shapes, which the SDK encodes as a number: named as botocore names them, else by content.
  const list = (code: number, botoName: string | undefined, declaredType: string | undefined): string => {
    const b = botoName ? boto.shapes[botoName] : undefined;
    const member = visit(code, b?.member, elementType(declaredType));
    return named(botoName, { type: 'list', member, ...constraints(b) });
  };
  const map = (code: number, botoName: string | undefined): string => {
    const b = botoName ? boto.shapes[botoName] : undefined;
    const key = visit(0, b?.key, undefined);
    const value = visit(code, b?.value, undefined);
    return named(botoName, { type: 'map', key, value, ...constraints(b) });
  };
  const named = (botoName: string | undefined, shape: AggregateShape): string => {
    const name = botoName ?? `~${JSON.stringify(shape)}`;
    shapes[name] ??= shape;
    return name;
  };

  const input = visit(sdk['CreateTrainingJobRequest$'] as Schema, 'CreateTrainingJobRequest', undefined) as string;
  return {
    operation: 'CreateTrainingJob',
    sources: { sdk: `${SDK}@${sdkVersion}`, constraints: `botocore ${boto.version}` },
    input,
    shapes: renameAnonymous(shapes),
    enums,
  };
}

/** `X[]` → `X`. */
function elementType(declaredType: string | undefined): string | undefined {
  return declaredType && /^(\w+)\[\]$/.exec(declaredType)?.[1];
}

function compiles(pattern: string): boolean {
  try {
    new RegExp(`^(?:${pattern})$`, 'u');
    return true;
  } catch {
    return false;
  }
}

/** Anonymous aggregates get short stable names (`~1`, `~2`, ... in order of first use). */
function renameAnonymous(shapes: Record<string, AggregateShape>): Record<string, AggregateShape> {
  const renames = new Map(
    Object.keys(shapes)
      .filter((n) => n.startsWith('~'))
      .map((n, i) => [n, `~${i + 1}`]),
  );
  const ref = (r: ShapeRef): ShapeRef => (typeof r === 'string' ? (renames.get(r) ?? r) : r);
  const out: Record<string, AggregateShape> = {};
  for (const [name, shape] of Object.entries(shapes)) {
    const renamed =
      shape.type === 'structure'
        ? { ...shape, members: Object.fromEntries(Object.entries(shape.members).map(([m, r]) => [m, ref(r)])) }
        : shape.type === 'list'
          ? { ...shape, member: ref(shape.member) }
          : { ...shape, key: ref(shape.key), value: ref(shape.value) };
    out[renames.get(name) ?? name] = renamed;
  }
  return out;
}

/** The module's text: the model as a typed constant. */
export function renderRequestModel(model: RequestModel): string {
  return (
    '// Generated by `npm run request-model:import` from the AWS SDK in node_modules; do not edit.\n' +
    "import type { RequestModel } from './request-model';\n\n" +
    `export const CREATE_TRAINING_JOB_REQUEST: RequestModel = ${JSON.stringify(model, null, 2)};\n`
  );
}

if (require.main === module) {
  const text = renderRequestModel(buildRequestModel());
  if (process.argv.includes('--check')) {
    const stale = readFileSync(REQUEST_MODEL_FILE, 'utf8') !== text;
    process.stdout.write(stale ? 'stale: run npm run request-model:import\n' : 'up to date\n');
    process.exitCode = stale ? 1 : 0;
  } else {
    writeFileSync(REQUEST_MODEL_FILE, text);
    process.stdout.write(`wrote ${REQUEST_MODEL_FILE}\n`);
  }
}
