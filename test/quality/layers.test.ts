/**
 * The layers as the folders show them: the app's front door (lib/app) and the CLI
 * (lib/cli) on top; the stack and constructs below, speaking props; the handlers
 * apart, sharing only types with the constructs (their code is not in the package).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const LIB = join(__dirname, '..', '..', 'lib');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Every import of a file: whether it is type-only, and what it names. */
function imports(file: string): { typeOnly: boolean; from: string }[] {
  return [...readFileSync(file, 'utf8').matchAll(/^import (type )?[^;]*? from '([^']+)';/gms)].map((m) => ({
    typeOnly: !!m[1],
    from: m[2],
  }));
}

const outside = (folder: string) => sources(LIB).filter((f) => !relative(LIB, f).startsWith(`${folder}/`));

test('constructs and the stack share only types with the handlers', () => {
  const valueImports = outside('handlers').flatMap((f) =>
    imports(f)
      .filter((i) => i.from.includes('/handlers/') && !i.typeOnly)
      .map((i) => `${relative(LIB, f)} imports ${i.from}`),
  );
  expect(valueImports).toEqual([]);
});

test('the handlers load no CDK', () => {
  const cdk = sources(join(LIB, 'handlers')).flatMap((f) =>
    imports(f)
      .filter((i) => /^(aws-cdk-lib|constructs)/.test(i.from))
      .map((i) => `${relative(LIB, f)} imports ${i.from}`),
  );
  expect(cdk).toEqual([]);
});

test('nothing below the app and the CLI imports them, and only the app speaks in context keys', () => {
  const upward = [...outside('app').filter((f) => !relative(LIB, f).startsWith('cli/'))].flatMap((f) =>
    imports(f)
      .filter((i) => /\/(app|cli)\//.test(i.from))
      .map((i) => `${relative(LIB, f)} imports ${i.from}`),
  );
  expect(upward).toEqual([]);
  const contextWording = outside('app').filter((f) => /context key "|-c [a-z_]+=/.test(readFileSync(f, 'utf8')));
  expect(contextWording.map((f) => relative(LIB, f))).toEqual([]);
});

test('the published library loads only the packages it declares (the runtime SDK ships bundled, as types only here)', () => {
  const manifest = JSON.parse(readFileSync(join(LIB, '..', 'package.json'), 'utf8'));
  const declared = Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies });
  const packageOf = (from: string) =>
    from
      .split('/')
      .slice(0, from.startsWith('@') ? 2 : 1)
      .join('/');
  const undeclared = outside('handlers').flatMap((f) =>
    imports(f)
      .filter((i) => !i.typeOnly && !i.from.startsWith('.') && !i.from.startsWith('node:'))
      .filter((i) => !declared.includes(packageOf(i.from)))
      .map((i) => `${relative(LIB, f)} imports ${i.from}`),
  );
  expect(undeclared).toEqual([]);
});
