import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TaskConflict } from '../shared/protocol';

/**
 * VS Code's merge editor on a file a task's changes left in conflict, opened the way its git extension opens one
 * (`_open.mergeEditor`): the common ancestor and both sides served read-only from memory under the `plue-merge` scheme,
 * the workspace's version on the left, the task's on the right, and the file itself (with its markers) as the result.
 * The user's index is never unmerged, so git's own "Resolve in Merge Editor" cannot offer it.
 */
export class ConflictVersions implements vscode.TextDocumentContentProvider, vscode.Disposable {
	static readonly scheme = 'plue-merge';
	private readonly texts = new Map<string, string>();
	private readonly closing = vscode.workspace.onDidCloseTextDocument(document => this.texts.delete(document.uri.toString()));
	private opened = 0;

	provideTextDocumentContent(uri: vscode.Uri): string {
		return this.texts.get(uri.toString()) ?? '';
	}

	/** Opens the merge editor on `conflict` of `folder`; `taskTitle` names the right side. */
	async open(folder: string, taskTitle: string, conflict: TaskConflict): Promise<void> {
		// A URI of its own per merge: a document VS Code still holds would keep an earlier merge's text.
		const merge = ++this.opened;
		const version = (side: string, text: string): vscode.Uri => {
			const uri = vscode.Uri.from({ scheme: ConflictVersions.scheme, path: `/${merge}/${side}/${conflict.path}` });
			this.texts.set(uri.toString(), text);
			return uri;
		};
		const output = vscode.Uri.file(path.join(folder, conflict.path));
		await caughtUp(output);
		await vscode.commands.executeCommand('_open.mergeEditor', {
			base: version('base', conflict.base),
			input1: { uri: version('workspace', conflict.current), title: 'Workspace', description: conflict.path, detail: 'as the folder has it now' },
			input2: { uri: version('task', conflict.incoming), title: taskTitle, description: conflict.path, detail: 'the task\'s changes' },
			output,
		});
	}

	dispose(): void {
		this.closing.dispose();
		this.texts.clear();
	}
}

/**
 * Waits (5 s at most) until VS Code's open copy of a file the sidecar just wrote holds what is on disk: its watcher may
 * be behind, and the merge editor reads the copy (without markers, it would take the stale text as the result).
 */
async function caughtUp(file: vscode.Uri): Promise<void> {
	const document = vscode.workspace.textDocuments.find(d => d.uri.toString() === file.toString());
	if (!document || document.isDirty) {
		return;
	}
	const disk = new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
	if (document.getText() === disk) {
		return;
	}
	await new Promise<void>(resolve => {
		const done = (): void => {
			clearTimeout(timer);
			listener.dispose();
			resolve();
		};
		const timer = setTimeout(done, 5000);
		const listener = vscode.workspace.onDidChangeTextDocument(change => {
			if (change.document === document && document.getText() === disk) {
				done();
			}
		});
	});
}
