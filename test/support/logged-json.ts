/**
 * Spies on console.log for each test of the calling file; the function returned gives the
 * JSON line each handler invocation logged so far (what it decided, for whoever reads its
 * log group). Call it at the top of a test file.
 */
export function loggedJson(): () => Record<string, unknown>[] {
  let log: jest.SpyInstance;
  beforeEach(() => {
    log = jest.spyOn(console, 'log');
  });
  afterEach(() => log.mockRestore());
  return () => log.mock.calls.map(([line]) => JSON.parse(line));
}
