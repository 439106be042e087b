import * as vscode from 'vscode';

/**
 * Remembers the last active text editor: while a chat panel has focus
 * `window.activeTextEditor` is undefined, but "Insert at Cursor" means the
 * editor the user was in before.
 */
export class EditorTracker implements vscode.Disposable {
	private _last: vscode.TextEditor | undefined = vscode.window.activeTextEditor;
	private readonly _subscription = vscode.window.onDidChangeActiveTextEditor(editor => {
		if (editor) {
			this._last = editor;
		}
	});

	get last(): vscode.TextEditor | undefined {
		const last = this._last;
		if (last && !last.document.isClosed) {
			return vscode.window.visibleTextEditors.find(e => e.document === last.document) ?? last;
		}
		return vscode.window.visibleTextEditors[0];
	}

	dispose(): void {
		this._subscription.dispose();
	}
}
