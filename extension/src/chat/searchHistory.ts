import * as vscode from 'vscode';
import type { SearchHit } from '../shared/protocol';
import { hitRow, parseSearch, searchParams } from '../shared/searchQuery';
import type { Sidecar } from '../sidecar/sidecar';
import { errorText } from '../shared/errorText';
import { showError } from '../sidecar/commandErrors';

/** A result row: the chat or task it opens (none for a message row). */
interface HitItem extends vscode.QuickPickItem {
	hit?: SearchHit;
}

/** How long typing pauses before the search runs. */
const debounceMs = 150;

/**
 * "Plue: Search Chats and Tasks" (the palette and the Channels view's title bar): a quick pick that searches every
 * chat and task as the user types (`session/search`: titles and messages, with the matching line) and opens the one
 * picked. `tag:`, `mode:`, `instance:`, `kind:`, `after:`, `before:` and `sort:` in the box filter and sort
 * (searchQuery.ts); instances and modes are named by their names. Rows show names, never ids. Resolves with the id
 * opened, for tests; `initial` fills the box.
 */
export function registerSearch(sidecar: Sidecar): vscode.Disposable {
	return vscode.commands.registerCommand('plue.search', (initial?: string) => searchHistory(sidecar, typeof initial === 'string' ? initial : '').catch((error: unknown) => {
		showError('search the chats and tasks', error);
		return undefined;
	}));
}

async function searchHistory(sidecar: Sidecar, initial: string): Promise<string | undefined> {
	const pick = vscode.window.createQuickPick<HitItem>();
	pick.title = 'Search Chats and Tasks';
	pick.placeholder = 'Words in a title or a message; filter with tag:, mode:, instance:, kind:chat|task, after:2026-11-01, before:, sort:newest';
	// The sidecar searches; the quick pick must not filter its rows again by their labels.
	pick.matchOnDescription = false;
	pick.matchOnDetail = false;
	pick.value = initial;
	let asked = 0;
	let timer: ReturnType<typeof setTimeout> | undefined;
	const names = lookups(sidecar);
	const run = async (text: string): Promise<void> => {
		const mine = ++asked;
		pick.busy = true;
		try {
			const items = await search(sidecar, names, text);
			if (mine === asked) {
				pick.items = items;
			}
		} catch (error) {
			if (mine === asked) {
				pick.items = [{ label: `$(error) ${errorText(error)}`, alwaysShow: true }];
			}
		} finally {
			if (mine === asked) {
				pick.busy = false;
			}
		}
	};
	const picked = new Promise<SearchHit | undefined>(resolve => {
		pick.onDidChangeValue(value => {
			clearTimeout(timer);
			timer = setTimeout(() => void run(value), debounceMs);
		});
		pick.onDidAccept(() => {
			const hit = pick.selectedItems[0]?.hit;
			if (hit) {
				resolve(hit);
				pick.hide();
			}
		});
		pick.onDidHide(() => resolve(undefined));
	});
	pick.show();
	void run(initial);
	const hit = await picked;
	clearTimeout(timer);
	pick.dispose();
	if (!hit) {
		return undefined;
	}
	await vscode.commands.executeCommand(hit.kind === 'task' ? 'plue.openTask' : 'plue.chat.open', hit.id);
	return hit.id;
}

/** The instances and modes, read once per search box, to turn the names typed into ids. */
function lookups(sidecar: Sidecar): () => Promise<{ instances: { id: string; name: string }[]; modes: { id: string; name: string }[] }> {
	let loaded: Promise<{ instances: { id: string; name: string }[]; modes: { id: string; name: string }[] }> | undefined;
	return () => loaded ??= Promise.all([sidecar.request('instances/list'), sidecar.request('session/modes')]).then(([instances, modes]) => ({
		instances: instances.map(i => ({ id: i.id, name: i.displayName })),
		modes: modes.map(m => ({ id: m.id, name: m.name })),
	}));
}

async function search(sidecar: Sidecar, names: ReturnType<typeof lookups>, text: string): Promise<HitItem[]> {
	const typed = parseSearch(text);
	const { instances, modes } = typed.instance || typed.mode ? await names() : { instances: [], modes: [] };
	const { params, problems } = searchParams(typed, instances, modes);
	if (problems.length > 0) {
		return problems.map(problem => ({ label: `$(warning) ${problem}`, alwaysShow: true }));
	}
	const { hits } = await sidecar.request('session/search', params);
	if (hits.length === 0) {
		return [{ label: typed.words ? `No chat or task says "${typed.words}"` : 'No chat or task matches these filters', alwaysShow: true }];
	}
	return hits.map(hit => ({ ...hitRow(hit), alwaysShow: true, hit }));
}
