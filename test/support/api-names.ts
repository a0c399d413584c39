/**
 * The public API's names, read from the TypeScript sources (syntax only, no type check:
 * a few hundred milliseconds, and no build needed): what lib/index.ts exports, and for each
 * exported class, interface or enum the names a reader may write after its dot.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import * as ts from 'typescript';

export interface ApiNames {
  /** Every name lib/index.ts exports. */
  readonly exports: ReadonlySet<string>;
  /** Members by type: a class's static and instance members (its bases' too), an interface's, an enum's. */
  readonly members: ReadonlyMap<string, ReadonlySet<string>>;
  /** Types that extend or implement something outside the library (e.g. `iam.Role`): named, not listed. */
  readonly externalBases: ReadonlyMap<string, readonly string[]>;
}

interface Declared {
  own: Set<string>;
  bases: string[];
}

function sourceOf(path: string): ts.SourceFile {
  return ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.ES2022, true);
}

function memberName(member: ts.ClassElement | ts.TypeElement | ts.EnumMember): string | undefined {
  const name = member.name;
  return name && (ts.isIdentifier(name) || ts.isStringLiteral(name)) ? name.text : undefined;
}

function heritage(node: ts.ClassDeclaration | ts.InterfaceDeclaration): string[] {
  return (node.heritageClauses ?? []).flatMap((clause) => clause.types.map((t) => t.expression.getText()));
}

/** Classes, interfaces and enums declared in one file, with their own members. */
function declarationsIn(file: ts.SourceFile, into: Map<string, Declared>): void {
  for (const statement of file.statements) {
    if (ts.isClassDeclaration(statement) && statement.name) {
      const own = new Set<string>();
      for (const member of statement.members) {
        const name = memberName(member);
        if (name) own.add(name);
        // Constructor parameter properties (`constructor(readonly x: T)`) are members too.
        if (ts.isConstructorDeclaration(member)) {
          for (const p of member.parameters) if (p.modifiers?.length && ts.isIdentifier(p.name)) own.add(p.name.text);
        }
      }
      into.set(statement.name.text, { own, bases: heritage(statement) });
    } else if (ts.isInterfaceDeclaration(statement)) {
      const own = new Set(statement.members.map(memberName).filter((n): n is string => n !== undefined));
      into.set(statement.name.text, { own, bases: heritage(statement) });
    } else if (ts.isEnumDeclaration(statement)) {
      const own = new Set(statement.members.map(memberName).filter((n): n is string => n !== undefined));
      into.set(statement.name.text, { own, bases: [] });
    }
  }
}

/** The names lib/index.ts exports, and the files it exports them from. */
function exportsOf(index: string): { names: Set<string>; files: string[] } {
  const names = new Set<string>();
  const files: string[] = [];
  for (const statement of sourceOf(index).statements) {
    if (!ts.isExportDeclaration(statement) || !statement.moduleSpecifier) continue;
    const target = (statement.moduleSpecifier as ts.StringLiteral).text;
    files.push(resolve(dirname(index), `${target}.ts`));
    if (statement.exportClause && ts.isNamedExports(statement.exportClause)) {
      for (const element of statement.exportClause.elements) names.add(element.name.text);
    } else {
      throw new Error(`lib/index.ts: \`export *\` from ${target}; name the exports so the docs test can read them`);
    }
  }
  return { names, files };
}

/** Reads lib/index.ts and the files it exports from. */
export function apiNames(root: string): ApiNames {
  const { names, files } = exportsOf(join(root, 'lib', 'index.ts'));
  const declared = new Map<string, Declared>();
  for (const file of new Set(files)) declarationsIn(sourceOf(file), declared);
  // Bases declared in other library files (e.g. a props interface extending a shared one).
  const pending = [...declared.values()].flatMap((d) => d.bases);
  const missing = pending.filter((b) => !declared.has(b) && !b.includes('.'));
  if (missing.length > 0) declareFromLibrary(join(root, 'lib'), declared);

  const members = new Map<string, ReadonlySet<string>>();
  const externalBases = new Map<string, string[]>();
  const collect = (type: string, seen: Set<string>, into: Set<string>, external: string[]): void => {
    const d = declared.get(type);
    if (!d || seen.has(type)) return;
    seen.add(type);
    d.own.forEach((m) => into.add(m));
    for (const base of d.bases) {
      if (declared.has(base)) collect(base, seen, into, external);
      else external.push(base);
    }
  };
  for (const type of declared.keys()) {
    const into = new Set<string>();
    const external: string[] = [];
    collect(type, new Set(), into, external);
    members.set(type, into);
    if (external.length > 0) externalBases.set(type, external);
  }
  return { exports: names, members, externalBases };
}

/** Every class, interface and enum under lib/ (handlers aside): bases may live anywhere in it. */
function declareFromLibrary(lib: string, into: Map<string, Declared>): void {
  const program = ts.sys.readDirectory(lib, ['.ts'], ['**/handlers/**', '**/*.d.ts']);
  for (const path of program) {
    const found = new Map<string, Declared>();
    declarationsIn(sourceOf(path), found);
    for (const [name, d] of found) if (!into.has(name)) into.set(name, d);
  }
}
