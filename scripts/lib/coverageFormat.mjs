// Shared by the coverage summaries: a percentage with one decimal, "n/a" when there is nothing to cover.
export function percent(covered, total) {
  return total === 0 ? 'n/a' : `${(Math.floor((covered / total) * 1000) / 10).toFixed(1)}%`;
}
