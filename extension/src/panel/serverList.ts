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

	/** What has come so far: a menu does not wait long for a server still starting. */
	async items(): Promise<T[]> {
		const late = new Promise<T[]>(resolve => setTimeout(() => resolve([]), waitMs));
		return Promise.race([this.all(), late]);
	}

	/** The whole list, once every server has answered (a choice looks its entry up here). */
	all(): Promise<T[]> {
		if (!this._list || Date.now() - this._list.at > listTtlMs) {
			const list = {
				at: Date.now(),
				items: this._load().catch(() => {
					if (this._list === list) {
						this._list = undefined;
					}
					return [];
				}),
			};
			this._list = list;
		}
		return this._list.items;
	}
}
