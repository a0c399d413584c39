import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The package's `assets/` folder (what scripts/bundle-handlers.mjs writes): at the package
 * root, two folders above lib/<layer> from source, four above dist/js/lib/<layer> compiled.
 */
export function packageAsset(...path: string[]): string {
  const candidates = [join(__dirname, '..', '..'), join(__dirname, '..', '..', '..', '..')].map((root) =>
    join(root, 'assets', ...path),
  );
  return candidates.find((candidate) => existsSync(candidate)) ?? candidates[0];
}
