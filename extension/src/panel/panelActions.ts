import * as vscode from 'vscode';
import { answerFromPanel } from '../approvals/approvalActions';
import type { Approvals } from '../approvals/approvals';
import type { HostMessage, WebviewMessage } from '../shared/panelMessages';
import type { Sidecar } from '../sidecar/sidecar';
import type { CheckpointDiffs } from './checkpointDiffs';
import type { EditorTracker } from './editorTracker';

/** What a chat or task panel's controller does: answers its webview and posts to it. */
export interface PanelController extends vscode.Disposable {
	/** Never rejects: failures are shown in the panel. */
	handle(message: WebviewMessage): Promise<void>;
	post(message: HostMessage): void;
}

/** What chat and task panels alike need from the extension. */
export interface PanelDeps {
	extensionUri: vscode.Uri;
	sidecar: Sidecar;
	approvals: Approvals;
	editors: EditorTracker;
	/** Opens a checkpoint's turn in the diff editor. */
	checkpointDiffs: CheckpointDiffs;
	log: vscode.LogOutputChannel;
}

/**
 * A transcript's live changes for its panel: part deltas and whole messages of `conversationId`
 * (a chat session, or a task, whose id its deltas carry as `sessionId`).
 */
export function forwardTranscript(sidecar: Sidecar, conversationId: string, post: (message: HostMessage) => void): vscode.Disposable[] {
	return [
		sidecar.onNotification('session/partDelta', p => {
			if (p.sessionId === conversationId) {
				post({ type: 'partDelta', messageId: p.messageId, partId: p.partId, kind: p.kind, delta: p.delta });
			}
		}),
		sidecar.onNotification('session/messageUpdated', ({ message }) => {
			if (message.sessionId === conversationId) {
				post({ type: 'message', message });
			}
		}),
	];
}

/** What chat and task panels answer alike (copy, insert, apply as a diff, open a link, answer an approval card); undefined for the rest. */
export function sharedPanelAction(deps: { editors: EditorTracker; approvals: Approvals }, message: WebviewMessage): (() => Promise<void>) | undefined {
	switch (message.type) {
		case 'copy':
			return async () => { await vscode.env.clipboard.writeText(message.text); };
		case 'insert':
			return () => insertAtCursor(deps.editors, message.text);
		case 'apply':
			return async () => { await vscode.commands.executeCommand('plue.chat.applyCode', { text: message.text, path: message.path }); };
		case 'openLink':
			return () => openLink(message.href);
		case 'answerApproval':
			return () => {
				answerFromPanel(deps.approvals, message);
				return Promise.resolve();
			};
		case 'showApprovalDiff':
			return async () => {
				if (!await deps.approvals.showDiff(message.id)) {
					throw new Error('That question was answered or withdrawn meanwhile.');
				}
			};
		default:
			return undefined;
	}
}

/** Links the host opens for a webview; anything else (command:, file:, vscode:) is refused. */
const openableSchemes = new Set(['http', 'https', 'mailto']);

/** Replaces the selections of the last text editor with `text`, showing it again if the panel hid it. */
export async function insertAtCursor(editors: EditorTracker, text: string): Promise<void> {
	const last = editors.last;
	if (!last) {
		void vscode.window.showWarningMessage('Plue: open a text editor to insert the code into.');
		return;
	}
	// The editor may be hidden behind the chat (its TextEditor then closed): show it again and edit the shown one.
	const editor = await vscode.window.showTextDocument(last.document, { viewColumn: last.viewColumn });
	await editor.edit(edit => {
		for (const selection of editor.selections) {
			edit.replace(selection, text);
		}
	});
}

/** Opens a link from a model's text, if it is a web or mail link. */
export async function openLink(href: string): Promise<void> {
	let uri: vscode.Uri;
	try {
		uri = vscode.Uri.parse(href, true);
	} catch {
		return;
	}
	if (!openableSchemes.has(uri.scheme)) {
		void vscode.window.showWarningMessage(`Plue does not open ${uri.scheme}: links from a chat.`);
		return;
	}
	await vscode.env.openExternal(uri);
}
