import * as path from 'node:path';
import * as vscode from 'vscode';
import type { EditorTracker } from './editorTracker';
import { showError } from '../sidecar/commandErrors';

/** The scheme of a proposal's (read-only) text, the right side of its diff editor. */
export const proposalScheme = 'plue-proposal';

/** What "Apply" was asked to do: a code block's text, and the file its info string named, if any. */
export interface ApplyRequest {
	text: string;
	/** Workspace-relative (or absolute inside the workspace); none: the editor the user was last in. */
	path?: string;
}

/** How a proposal ended, for the commands' callers (and the tests). */
export type ProposalOutcome = 'accepted' | 'unsaved' | 'rejected' | 'stale' | 'none';

interface Proposal {
	target: vscode.Uri;
	/** The whole file as proposed: the code in place of the selection Apply was pressed with, or of the whole file. */
	proposed: string;
	/** The document's version when proposed: a change since makes the proposal stale (nothing is overwritten). */
	version?: number;
}

/**
 * "Apply" on a code block: the change opens in VS Code's diff editor (the file on the left, the file with the
 * code in place on the right) and waits for Accept or Reject, from the diff editor's title bar or the
 * notification. Accept writes it into the file and saves it; Reject drops it. Nothing changes before Accept.
 */
export class CodeProposals implements vscode.TextDocumentContentProvider, vscode.Disposable {
	private readonly _proposals = new Map<string, Proposal>();
	private readonly _subscriptions: vscode.Disposable[];
	private _next = 0;

	constructor(private readonly _editors: EditorTracker) {
		this._subscriptions = [
			vscode.workspace.registerTextDocumentContentProvider(proposalScheme, this),
			vscode.commands.registerCommand('plue.chat.applyCode', (request: ApplyRequest) => this.propose(request).catch(failed('show the proposed change'))),
			vscode.commands.registerCommand('plue.chat.acceptProposal', (uri?: vscode.Uri) => this.finish(uri, true).catch(failed('accept the change'))),
			vscode.commands.registerCommand('plue.chat.rejectProposal', (uri?: vscode.Uri) => this.finish(uri, false).catch(failed('reject the change'))),
		];
	}

	provideTextDocumentContent(uri: vscode.Uri): string {
		return this._proposals.get(uri.toString())?.proposed ?? '';
	}

	/** Opens the diff; returns the proposal's uri (undefined when there is nothing to apply to). */
	async propose(request: ApplyRequest): Promise<vscode.Uri | undefined> {
		const proposal = request.path ? await this.forPath(request.path, request.text) : this.forEditor(request.text);
		if (!proposal) {
			return undefined;
		}
		const name = path.basename(proposal.target.path);
		const uri = vscode.Uri.from({ scheme: proposalScheme, path: proposal.target.path, query: String(++this._next) });
		this._proposals.set(uri.toString(), proposal);
		const original = proposal.version === undefined ? uri.with({ query: 'empty' }) : proposal.target;
		await vscode.commands.executeCommand('vscode.diff', original, uri, `${name} ↔ Proposed by Plue`, { preview: false });
		void vscode.window.showInformationMessage(`Plue: review the change to ${name}, then accept or reject it.`, 'Accept', 'Reject')
			.then(choice => choice && this._proposals.has(uri.toString()) ? this.finish(uri, choice === 'Accept') : undefined);
		return uri;
	}

	/** Accepts or rejects a proposal (the one in the active diff editor when no uri is given). */
	async finish(uri: vscode.Uri | undefined, accept: boolean): Promise<ProposalOutcome> {
		const key = (uri ?? activeProposal())?.toString();
		const proposal = key ? this._proposals.get(key) : undefined;
		if (!key || !proposal) {
			return 'none';
		}
		this._proposals.delete(key);
		// Written (and saved) before the diff closes: once it is gone, the file says what was chosen.
		const written = accept ? await write(proposal) : undefined;
		await closeDiff(key);
		const name = path.basename(proposal.target.path);
		switch (written) {
			case undefined:
				return 'rejected';
			case 'stale':
				void vscode.window.showWarningMessage(`Plue: ${name} changed after the change was proposed, so nothing was written. Press Apply again.`);
				return 'stale';
			case 'unsaved':
				void vscode.window.showWarningMessage(`Plue: the change is in ${name}, but saving it failed, so the file on disk is as it was. Save it again, or undo the change in the editor.`, 'Save')
					.then(choice => choice === 'Save' ? vscode.workspace.save(proposal.target) : undefined);
				return 'unsaved';
			case 'saved':
				return 'accepted';
		}
	}

	private forEditor(text: string): Proposal | undefined {
		const editor = this._editors.last;
		if (!editor) {
			void vscode.window.showWarningMessage('Plue: open the file to apply the code to (or name it after the code block\'s language, as in ```ts src/app.ts).');
			return undefined;
		}
		const document = editor.document;
		const whole = new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length));
		if (editor.selection.isEmpty) {
			return { target: document.uri, version: document.version, proposed: keepFinalNewline(text, document.getText(), eolOf(document)) };
		}
		const range = editor.selection;
		const proposed = document.getText(new vscode.Range(whole.start, range.start)) + text + document.getText(new vscode.Range(range.end, whole.end));
		return { target: document.uri, version: document.version, proposed };
	}

	/** A named file: inside the workspace only. A file that does not exist yet is proposed as new. */
	private async forPath(name: string, text: string): Promise<Proposal | undefined> {
		const folder = vscode.workspace.workspaceFolders?.[0];
		if (!folder) {
			throw new Error(`open a folder to apply code to ${name}.`);
		}
		const target = path.isAbsolute(name) ? vscode.Uri.file(name) : vscode.Uri.joinPath(folder.uri, name);
		const inside = vscode.workspace.getWorkspaceFolder(target) !== undefined && !path.relative(folder.uri.fsPath, target.fsPath).startsWith('..');
		if (!inside) {
			throw new Error(`${name} is outside the workspace: Plue applies code to the workspace's files only.`);
		}
		const exists = await vscode.workspace.fs.stat(target).then(() => true, () => false);
		if (!exists) {
			return { target, proposed: keepFinalNewline(text, '\n', '\n') };
		}
		const document = await vscode.workspace.openTextDocument(target);
		return { target, version: document.version, proposed: keepFinalNewline(text, document.getText(), eolOf(document)) };
	}

	dispose(): void {
		for (const subscription of this._subscriptions) {
			subscription.dispose();
		}
	}
}

/**
 * Writes an accepted proposal and saves the file: stale when the file changed since (then nothing is written), unsaved
 * when the change is in the editor but the save failed (VS Code says why in its own error).
 */
async function write(proposal: Proposal): Promise<'saved' | 'unsaved' | 'stale'> {
	const edit = new vscode.WorkspaceEdit();
	if (proposal.version === undefined) {
		edit.createFile(proposal.target, { ignoreIfExists: false, contents: new TextEncoder().encode(proposal.proposed) });
		return vscode.workspace.applyEdit(edit).then(async applied => {
			await vscode.window.showTextDocument(proposal.target, { preview: false });
			return applied ? 'saved' : 'stale';
		});
	}
	const document = await vscode.workspace.openTextDocument(proposal.target);
	if (document.version !== proposal.version) {
		return 'stale';
	}
	const whole = new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length));
	edit.replace(proposal.target, whole, proposal.proposed);
	if (!await vscode.workspace.applyEdit(edit)) {
		return 'stale';
	}
	const saved = await document.save();
	await vscode.window.showTextDocument(document, { preview: false });
	return saved ? 'saved' : 'unsaved';
}

/**
 * A code block's text has no final newline (Markdown ends it at the fence): a whole file it replaces keeps the
 * newline the file ended with, as editors and `git diff` expect (a new file gets one).
 */
export function keepFinalNewline(text: string, original: string, eol: string): string {
	const endsWithNewline = original.length === 0 || original.endsWith('\n');
	return endsWithNewline && text.length > 0 && !text.endsWith('\n') ? text + eol : text;
}

function eolOf(document: vscode.TextDocument): string {
	return document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
}

/** The proposal in the active diff editor, if that is one. */
function activeProposal(): vscode.Uri | undefined {
	const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
	return input instanceof vscode.TabInputTextDiff && input.modified.scheme === proposalScheme ? input.modified : undefined;
}

/**
 * Closes every tab showing the proposal: its diff, and the proposal alone if it was opened so. Compared by scheme,
 * path and query, not by the uri's text, whose encoding may differ from the one the proposal was made with.
 */
async function closeDiff(key: string): Promise<void> {
	const proposal = vscode.Uri.parse(key);
	const isProposal = (uri: vscode.Uri): boolean => uri.scheme === proposalScheme && uri.path === proposal.path && uri.query === proposal.query;
	const tabs = vscode.window.tabGroups.all.flatMap(group => group.tabs).filter(tab =>
		(tab.input instanceof vscode.TabInputTextDiff && isProposal(tab.input.modified)) || (tab.input instanceof vscode.TabInputText && isProposal(tab.input.uri)));
	if (tabs.length > 0) {
		await vscode.window.tabGroups.close(tabs, true);
	}
}

/** A command's catch: the failure told, and undefined its result. */
function failed(action: string): (error: unknown) => undefined {
	return error => {
		showError(action, error);
		return undefined;
	};
}
