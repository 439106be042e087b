/**
 * A whole list read page by page (`limit`, and `after`: the last id of the previous page), so no answer has to hold
 * every record at once and none is left out: a page shorter than `limit` is the last. A sidecar that ignores `limit`
 * (older than paging) answers the whole list each time: the second answer, all repeats, ends the reading.
 */
export async function listInPages<T extends { id: string }>(page: (limit: number, after: string | undefined) => Promise<T[]>, limit = 500): Promise<T[]> {
	const all: T[] = [];
	const seen = new Set<string>();
	for (let after: string | undefined; ;) {
		const items = await page(limit, after);
		const fresh = items.filter(item => !seen.has(item.id));
		for (const item of fresh) {
			seen.add(item.id);
			all.push(item);
		}
		if (items.length < limit || fresh.length === 0) {
			return all;
		}
		after = items[items.length - 1].id;
	}
}

/**
 * Every item of a cursor-paged list (`codex/list`): page after page while the answer names a `nextCursor`, so none past
 * the first page's 1,000 is left out. A cursor given twice (a sidecar that does not move on) ends the reading.
 */
export async function listByCursor<T>(page: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor?: string }>): Promise<T[]> {
	const all: T[] = [];
	const seen = new Set<string>();
	for (let cursor: string | undefined; ;) {
		const { items, nextCursor } = await page(cursor);
		all.push(...items);
		if (!nextCursor || seen.has(nextCursor)) {
			return all;
		}
		seen.add(nextCursor);
		cursor = nextCursor;
	}
}
