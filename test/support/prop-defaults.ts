/**
 * The `@default` of each prop of a props interface, read from its doc comment (what jsii
 * publishes as the prop's default), as a value when it is one: `@default true` is `true`,
 * `@default Duration.hours(100) - ...` is 360000 seconds, `@default - the model's default` is none.
 */
import { readFileSync } from 'node:fs';
import * as ts from 'typescript';

const SECONDS: Record<string, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86400 };

/** A default as the README's table writes it: `true`, `1`, `360000` (durations in seconds), a bare id. */
export function defaultValue(tag: string): string | undefined {
  // The value is what comes before ` - ` (the reason); a tag that starts with `-` or is prose has none.
  const literal = tag.trim().split(/\s+-\s+/)[0];
  if (literal === '' || literal.startsWith('-') || /\s/.test(literal)) return undefined;
  const duration = /^Duration\.(seconds|minutes|hours|days)\((\d+)\)$/.exec(literal);
  if (duration) return String(Number(duration[2]) * SECONDS[duration[1]]);
  return literal.replace(/^'(.*)'$/, '$1');
}

/** A prop's declared type (as written) and its `@default` tag's text. */
export interface PropDefault {
  readonly type: string;
  readonly tag?: string;
}

/** Prop name to its type and `@default`, for one interface in one file. */
export function propDefaults(path: string, interfaceName: string): Map<string, PropDefault> {
  const file = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.ES2022, true);
  const declaration = file.statements.find(
    (s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === interfaceName,
  );
  if (!declaration) throw new Error(`${path}: no interface ${interfaceName}`);
  const defaults = new Map<string, PropDefault>();
  for (const member of declaration.members) {
    if (!member.name || !ts.isIdentifier(member.name)) continue;
    const tag = ts.getJSDocTags(member).find((t) => t.tagName.text === 'default');
    const comment = typeof tag?.comment === 'string' ? tag.comment : ts.getTextOfJSDocComment(tag?.comment);
    const type = ts.isPropertySignature(member) && member.type ? member.type.getText() : '';
    defaults.set(member.name.text, { type, tag: comment });
  }
  return defaults;
}
