import type { SearchHit, SessionSearchParams } from './protocol';

/**
 * What the user types in Search Chats and Tasks, read into `session/search`'s words and filters: `tag:`, `mode:`,
 * `instance:`, `kind:` (chat, task), `after:` and `before:` (dates), `sort:` (relevance, newest, oldest); a value with
 * spaces in quotes (`instance:"Work Claude"`). Everything else is the words to find. Names are resolved by the caller
 * (an instance's display name, a mode's name): the user never types an id.
 */
export interface TypedSearch {
	words: string;
	tag?: string;
	mode?: string;
	instance?: string;
	kind?: 'chat' | 'task';
	from?: string;
	to?: string;
	sort?: 'relevance' | 'newest' | 'oldest';
	/** Filters not understood (an unknown `kind:` or `sort:`), to say so. */
	problems: string[];
}

const filterPattern = /(?:^|\s)(tag|mode|instance|kind|after|before|sort):(?:"([^"]*)"?|(\S*))/gi;

export function parseSearch(text: string): TypedSearch {
	const result: TypedSearch = { words: '', problems: [] };
	const words = text.replace(filterPattern, (_all, key: string, quoted: string | undefined, bare: string | undefined) => {
		const value = (quoted ?? bare ?? '').trim();
		if (!value) {
			return ' ';
		}
		switch (key.toLowerCase()) {
			case 'tag': result.tag = value; break;
			case 'mode': result.mode = value; break;
			case 'instance': result.instance = value; break;
			case 'after': result.from = value; break;
			case 'before': result.to = value; break;
			case 'kind':
				if (value === 'chat' || value === 'task') {
					result.kind = value;
				} else {
					result.problems.push(`kind: is chat or task, not "${value}"`);
				}
				break;
			case 'sort':
				if (value === 'relevance' || value === 'newest' || value === 'oldest') {
					result.sort = value;
				} else {
					result.problems.push(`sort: is relevance, newest or oldest, not "${value}"`);
				}
				break;
		}
		return ' ';
	});
	result.words = words.replace(/\s+/g, ' ').trim();
	return result;
}

/** A name and the id it stands for (an instance, a mode). */
export interface Named {
	id: string;
	name: string;
}

/** `session/search`'s params for what was typed: instances and modes named by their names (an instance's by part of it too); problems instead when a name or filter is not known. */
export function searchParams(typed: TypedSearch, instances: Named[], modes: Named[]): { params: SessionSearchParams; problems: string[] } {
	const problems = [...typed.problems];
	const params: SessionSearchParams = { query: typed.words, tag: typed.tag, kind: typed.kind, from: typed.from, to: typed.to, sort: typed.sort, limit: 50 };
	if (typed.instance) {
		const wanted = typed.instance.toLowerCase();
		const instance = instances.find(i => i.name.toLowerCase() === wanted) ?? instances.find(i => i.name.toLowerCase().includes(wanted));
		if (instance) {
			params.instanceId = instance.id;
		} else {
			problems.push(`instance: none is called "${typed.instance}" (${instances.map(i => i.name).join(', ') || 'none is set up'})`);
		}
	}
	if (typed.mode) {
		const wanted = typed.mode.toLowerCase();
		const mode = modes.find(m => m.name.toLowerCase() === wanted || m.id === typed.mode);
		if (mode) {
			params.mode = mode.id;
		} else {
			problems.push(`mode: none is called "${typed.mode}" (${modes.map(m => m.name).join(', ')})`);
		}
	}
	return { params, problems };
}

/** A result's row: its kind's icon and title, its instance's name, model, mode and date, and the line that matched. Never an id. */
export function hitRow(hit: SearchHit): { label: string; description: string; detail?: string } {
	return {
		label: `${hit.kind === 'task' ? '$(tasklist)' : '$(comment-discussion)'} ${hit.title}`,
		description: [hit.instanceName, hit.modelId, hit.modeName, new Date(hit.updatedAt).toLocaleDateString()].filter(Boolean).join(' · '),
		detail: hit.snippet ?? (hit.titleMatched ? 'The title matches' : undefined),
	};
}
