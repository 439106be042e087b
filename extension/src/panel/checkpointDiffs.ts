import * as path from 'node:path';
import * as vscode from 'vscode';
import { describeFileChanges } from '../shared/format';
import type { Checkpoint } from '../shared/protocol';
import type { Sidecar } from '../sidecar/sidecar';

/** The scheme of a file as a checkpoint's turn found or left it: the read-only sides of its diff. */
export const checkpointScheme = 'plue-checkpoint';

/** What a side's uri carries in its query; its path is the file's, relative to the workspace folder. */
interface CheckpointSide {
	sessionId: string;
	checkpointId: string;
	side: 'before' | 'after';
}

/**
 * "Show Diff" on a checkpoint: what a chat's or task's turn changed, in VS Code's diff editor (one file) or its
 * multi-file diff editor (several). Both sides are read from the sidecar's checkpoint store when VS Code asks for them.
 */
export class CheckpointDiffs implements vscode.TextDocumentContentProvider, vscode.Disposable {
	private readonly _registration = vscode.workspace.registerTextDocumentContentProvider(checkpointScheme, this);

	constructor(private readonly _sidecar: Sidecar) {}

	async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
		const { sessionId, checkpointId, side } = JSON.parse(uri.query) as CheckpointSide;
		const diff = await this._sidecar.request('checkpoint/diff', { sessionId, checkpointId, path: uri.path.slice(1) });
		if (diff.binary) {
			return 'A binary file: its change is not shown as text.';
		}
		return (side === 'before' ? diff.before : diff.after) ?? '';
	}

	async show(sessionId: string, checkpoint: Checkpoint): Promise<void> {
		const sides = checkpoint.files.map(file => {
			const uri = (side: CheckpointSide['side']): vscode.Uri =>
				vscode.Uri.from({ scheme: checkpointScheme, path: `/${file.path}`, query: JSON.stringify({ sessionId, checkpointId: checkpoint.id, side }) });
			return { file, before: uri('before'), after: uri('after') };
		});
		const [only] = sides;
		if (sides.length === 1 && only) {
			await vscode.commands.executeCommand('vscode.diff', only.before, only.after, `${path.basename(only.file.path)} (Checkpoint)`, { preview: true });
			return;
		}
		const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
		await vscode.commands.executeCommand('vscode.changes', `Checkpoint: ${describeFileChanges(checkpoint)}`,
			sides.map(s => [folder ? vscode.Uri.joinPath(folder, s.file.path) : s.after, s.before, s.after]));
	}

	dispose(): void {
		this._registration.dispose();
	}
}
