import * as path from 'node:path';
import * as vscode from 'vscode';
import { proposedText } from '../shared/approvalPrompt';
import type { PermissionRequestParams } from '../shared/protocol';

/** The scheme of an asked-for write or edit as it would leave the file: the read-only right side of its diff. */
export const approvalDiffScheme = 'plue-approval';

/**
 * "Show Diff" on a write or edit approval card: the file as it is beside the file as the tool would leave it, in
 * VS Code's diff editor, before the user answers. Read-only: the card's Allow and Deny still decide.
 */
export class ApprovalDiffs implements vscode.TextDocumentContentProvider, vscode.Disposable {
	private readonly _texts = new Map<string, string>();
	private readonly _registration = vscode.workspace.registerTextDocumentContentProvider(approvalDiffScheme, this);
	private _next = 0;

	provideTextDocumentContent(uri: vscode.Uri): string {
		return this._texts.get(uri.toString()) ?? '';
	}

	/** Opens the diff of the request's write or edit; a file outside the workspace or an edit that no longer applies is told, not shown. */
	async show(params: PermissionRequestParams): Promise<void> {
		const input = typeof params.input === 'object' && params.input !== null && !Array.isArray(params.input) ? params.input as Record<string, unknown> : {};
		const relative = ['path', 'file_path', 'filePath'].map(k => input[k]).find((v): v is string => typeof v === 'string' && v.length > 0);
		const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
		if (!relative || !folder) {
			throw new Error('the request names no file in the workspace to compare with');
		}
		const target = path.isAbsolute(relative) ? vscode.Uri.file(relative) : vscode.Uri.joinPath(folder, relative);
		const current = await vscode.workspace.fs.readFile(target).then(bytes => new TextDecoder().decode(bytes), () => undefined);
		const proposed = proposedText(params.tool, input, current ?? '');
		if (proposed === undefined) {
			throw new Error(`the edit no longer matches ${relative}: the text it replaces is not in the file now`);
		}
		const uri = vscode.Uri.from({ scheme: approvalDiffScheme, path: target.path, query: String(++this._next) });
		this._texts.set(uri.toString(), proposed);
		// A new file is compared with an empty one.
		const original = current === undefined ? uri.with({ query: 'empty' }) : target;
		await vscode.commands.executeCommand('vscode.diff', original, uri, `${path.basename(target.path)} ↔ Asked for by ${params.taskId ? 'the task' : 'the chat'}`, { preview: true });
	}

	dispose(): void {
		this._registration.dispose();
	}
}
