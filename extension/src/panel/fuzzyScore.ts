/**
 * How well `query` matches `text` as a subsequence, case-insensitively (0: not at all). Matches at the start of a
 * path segment or word, runs of matched characters, and a match within the file name count more.
 */
export function fuzzyScore(query: string, text: string): number {
	const q = query.toLowerCase();
	if (!q) {
		return 1;
	}
	const t = text.toLowerCase();
	const nameStart = t.lastIndexOf('/') + 1;
	let score = 1;
	let at = -1;
	for (const ch of q) {
		const next = t.indexOf(ch, at + 1);
		if (next < 0) {
			return 0;
		}
		score += 1 + (next === at + 1 ? 3 : 0) + (next === 0 || '/_-. '.includes(t[next - 1] ?? '') ? 4 : 0) + (next >= nameStart ? 2 : 0);
		at = next;
	}
	return score;
}
