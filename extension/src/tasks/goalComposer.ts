import * as vscode from 'vscode';
import { composerRequest } from '../panel/composerRequests';
import type { Mentions } from '../panel/mentions';
import { html, webviewOptions } from '../panel/panel';
import { isWebviewMessage } from '../shared/panelMessages';
import type { HostMessage } from '../shared/panelMessages';
import type { Attachment } from '../shared/protocol';
import { errorText } from '../shared/errorText';

/** A new task's goal: its text and the files and selections that go with it. */
export interface Goal {
	text: string;
	attachments: Attachment[];
}

/** The sidecar refuses images in a goal: the composer says so at the button, before a dialog. */
const imagesRefused = 'A task\'s goal takes files and selections, not images: describe the image in words, or attach its source.';

/**
 * A new task's goal written in the chat's composer, in a panel of its own: several lines, @-mentions and attached
 * files. Send calls `start`; when it succeeds the panel closes, when it fails the panel shows why and keeps the goal.
 * Closing the panel, or Escape, starts nothing. Resolves with what `start` returned, or undefined.
 */
export function composeGoal<T>(deps: { extensionUri: vscode.Uri; mentions: Mentions }, heading: string, text: string, start: (goal: Goal) => Promise<T>): Promise<T | undefined> {
	const panel = vscode.window.createWebviewPanel('plue.taskGoal', 'New Task', vscode.ViewColumn.Active, webviewOptions(deps.extensionUri));
	panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'plue.svg');
	const post = (message: HostMessage): void => void panel.webview.postMessage(message);
	let draft: Goal = { text, attachments: [] };
	const showDraft = (): void => post({ type: 'goalDraft', heading, text: draft.text, attachments: draft.attachments, imagesRefused });
	const attach = (attachment: Attachment | undefined, mention?: string): void => {
		if (attachment?.kind === 'image') {
			throw new Error(imagesRefused);
		}
		if (attachment?.kind === 'url' || attachment?.kind === 'codebase') {
			throw new Error(`@${attachment.kind} is for chats: a task's goal takes files and selections. Attach the files themselves, or name the page or the words in the goal for the task to look up.`);
		}
		if (attachment) {
			post({ type: 'addAttachment', attachment, ...(mention ? { mention } : {}) });
		}
	};
	return new Promise(resolve => {
		panel.onDidDispose(() => resolve(undefined));
		panel.webview.onDidReceiveMessage(async (message: unknown) => {
			if (!isWebviewMessage(message)) {
				return;
			}
			try {
				if (message.type === 'ready') {
					showDraft();
				} else if (message.type === 'cancel') {
					panel.dispose();
				} else if (message.type === 'send') {
					draft = { text: message.text, attachments: message.attachments };
					post({ type: 'error', text: undefined });
					try {
						resolve(await start(draft));
					} catch (error) {
						showDraft();
						throw error;
					}
					panel.dispose();
				} else {
					await composerRequest(deps.mentions, message, post, attach, false)?.();
				}
			} catch (error) {
				post({ type: 'error', text: errorText(error) });
			}
		});
		panel.webview.html = html(panel.webview, deps.extensionUri, 'goal', 'goal');
	});
}
