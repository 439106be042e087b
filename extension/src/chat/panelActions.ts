import * as vscode from 'vscode';
import type { EditorTracker } from './editorTracker';
import type { HostMessage, WebviewMessage } from './messages';

/** What a chat or task panel's controller does: answers its webview and posts to it. */
export interface PanelController extends vscode.Disposable {
	/** Never rejects: failures are shown in the panel. */
	handle(message: WebviewMessage): Promise<void>;
	post(message: HostMessage): void;
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
