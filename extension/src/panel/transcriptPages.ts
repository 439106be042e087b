import type { SessionMessagesResult } from '../shared/protocol';
import type { HostMessage } from '../shared/panelMessages';

/** How many messages a panel shows when it opens, and fetches each time it is asked for earlier ones. */
export const pageSize = 200;

/** The largest page the sidecar serves (`session/messages`' maximum `limit`). */
export const maxPage = 1000;

/** One page of a transcript (`session/messages` or `task/messages`): the `limit` latest messages before `beforeSeq`. */
export type FetchPage = (limit: number, beforeSeq?: number) => Promise<SessionMessagesResult>;

/**
 * Which part of a chat's or task's transcript its panel holds: the latest page,
 * then earlier pages as the user asks ("Load earlier messages"). A reload (a
 * restarted sidecar) fetches as many as are shown, so earlier pages stay in view.
 */
export class TranscriptPages {
	private _shown = 0;
	private _oldestSeq: number | undefined;

	constructor(private readonly _fetch: FetchPage) { }

	/** The latest messages: a page, or as many as the panel holds (in pages of at most maxPage). */
	async latest(): Promise<SessionMessagesResult> {
		const wanted = Math.max(pageSize, this._shown);
		let page = await this._fetch(Math.min(wanted, maxPage));
		let messages = page.messages;
		while (page.hasMore && messages.length > 0 && messages.length < wanted) {
			page = await this._fetch(Math.min(wanted - messages.length, maxPage), messages[0].seq);
			messages = [...page.messages, ...messages];
		}
		this._shown = messages.length;
		this._oldestSeq = messages[0]?.seq;
		return { messages, hasMore: page.hasMore };
	}

	/** Counts messages the panel was sent one by one (a turn's), so a reload keeps them too. */
	added(count: number): void {
		this._shown += count;
	}

	/** Answers `loadEarlier` with the page before the oldest message shown. */
	async earlier(post: (message: HostMessage) => void): Promise<void> {
		if (this._oldestSeq === undefined) {
			post({ type: 'earlier', messages: [], hasMore: false });
			return;
		}
		try {
			const { messages, hasMore } = await this._fetch(pageSize, this._oldestSeq);
			this._shown += messages.length;
			this._oldestSeq = messages[0]?.seq ?? this._oldestSeq;
			post({ type: 'earlier', messages, hasMore });
		} catch (error) {
			// The webview waits for an answer to re-enable its button: give it one, then report.
			post({ type: 'earlier', messages: [], hasMore: true });
			throw error;
		}
	}
}
