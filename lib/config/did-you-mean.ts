/** Levenshtein distance. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/** The known name a mistyped one most likely meant: a letter or two away (more for long names), if any. */
export function closest(name: string, known: readonly string[]): string | undefined {
  const [best] = known.map((k) => ({ k, d: editDistance(name, k) })).sort((a, b) => a.d - b.d);
  return best && best.d <= Math.max(2, Math.floor(best.k.length / 4)) ? best.k : undefined;
}
