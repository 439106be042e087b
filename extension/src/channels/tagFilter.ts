import * as vscode from 'vscode';
import type { ChannelsTreeProvider, ChannelNode } from './channelsTreeProvider';
import type { RecordTags } from './recordTags';

/**
 * Filter by Tag (a tag as argument, else picked from those the chats and tasks carry) and Clear Tag Filter on the
 * Channels view: the view's description names the tag while it filters.
 */
export function registerTagFilter(channels: ChannelsTreeProvider, view: vscode.TreeView<ChannelNode>, tags: RecordTags): vscode.Disposable {
	const apply = (tag: string | undefined): void => {
		channels.filterTag(tag);
		view.description = tag ? `Tagged ${tag}` : undefined;
		void vscode.commands.executeCommand('setContext', 'plue.channels.tagFiltered', tag !== undefined);
	};
	return vscode.Disposable.from(
		vscode.commands.registerCommand('plue.channels.filterByTag', async (tag?: string) => {
			if (typeof tag !== 'string') {
				const known = tags.all;
				if (known.length === 0) {
					void vscode.window.showInformationMessage('No chat or task has a tag yet. A template\'s tags field tags the records made from it.');
					return;
				}
				tag = (await vscode.window.showQuickPick(known.map(t => ({ label: t, picked: t === channels.tag })), { title: 'Filter Channels by Tag', placeHolder: 'Show only the chats and tasks with this tag' }))?.label;
			}
			if (tag) {
				apply(tag);
			}
		}),
		vscode.commands.registerCommand('plue.channels.clearTagFilter', () => apply(undefined)),
	);
}
