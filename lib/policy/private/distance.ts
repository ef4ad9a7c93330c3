/** Levenshtein distance between two strings (case-insensitive). */
export function editDistance(a: string, b: string): number {
  const x = a.toUpperCase();
  const y = b.toUpperCase();
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[y.length];
}

/** The `count` candidates closest to `value` by edit distance (ties in the candidates' order). */
export function closest(value: string, candidates: string[], count: number): string[] {
  return candidates
    .map((c, i) => ({ c, i, d: editDistance(value, c) }))
    .sort((p, q) => p.d - q.d || p.i - q.i)
    .slice(0, count)
    .map((p) => p.c);
}
