/** A list is asked for again after this long: servers are enabled, started and changed while a chat is open. */
const listTtlMs = 30_000;
/** How long a menu waits for servers still starting; what they offer shows on a later keystroke. */
const waitMs = 1_500;

/**
 * A list the sidecar gathers from the MCP servers, kept for a while; a menu gets what has come so far (nothing while
 * servers start), and a failed load (no sidecar) is forgotten so the next keystroke asks again.
 */
export class ServerList<T> {
	private _list: { at: number; items: Promise<T[]> } | undefined;

	constructor(private readonly _load: () => Promise<T[]>) {}

	async items(): Promise<T[]> {
		if (!this._list || Date.now() - this._list.at > listTtlMs) {
			const items = this._load().catch(() => {
				this._list = undefined;
				return [];
			});
			this._list = { at: Date.now(), items };
		}
		const late = new Promise<T[]>(resolve => setTimeout(() => resolve([]), waitMs));
		return Promise.race([this._list.items, late]);
	}
}
