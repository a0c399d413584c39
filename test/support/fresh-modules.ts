/**
 * Loads library modules into a registry of their own, so their module-level code (tables built
 * at load, a model fitted on first use) runs inside the calling test: a test that reads what
 * another test or the file's imports built would check nothing of how it is built.
 */
export function freshModules<T extends Record<string, unknown>>(load: () => T): T {
  let loaded: T | undefined;
  jest.isolateModules(() => {
    loaded = load();
  });
  return loaded!;
}
