import * as vscode from 'vscode';
import type { Attachment } from '../shared/protocol';
import { cutToSize } from './mentionText';

/** A diff larger than this is cut (at a line) and says so: it is context, not the whole history of a change. */
export const maxDiffChars = 64 * 1024;
/** How long a mention waits for VS Code's Git extension to find the workspace's repositories. */
const gitReadyMs = 10_000;

/** The part of VS Code's Git extension API (vscode.git, version 1) that the mention uses. */
interface GitExtension {
	readonly enabled: boolean;
	getAPI(version: 1): GitApi;
}
interface GitApi {
	readonly state: 'uninitialized' | 'initialized';
	readonly onDidChangeState: vscode.Event<'uninitialized' | 'initialized'>;
	getRepository(uri: vscode.Uri): GitRepository | null;
	openRepository(root: vscode.Uri): Promise<GitRepository | null>;
}
interface GitRepository {
	readonly rootUri: vscode.Uri;
	readonly state: { readonly HEAD?: { readonly name?: string }; readonly workingTreeChanges: readonly GitChange[]; readonly untrackedChanges?: readonly GitChange[] };
	diff(cached?: boolean): Promise<string>;
	status(): Promise<void>;
}
interface GitChange {
	readonly uri: vscode.Uri;
	readonly status: number;
}
/** The Git API's Status.UNTRACKED. */
const untracked = 7;

/**
 * The workspace's uncommitted changes, as VS Code's Git extension reads them (its git, its settings, remote or not):
 * what is staged and what is not, against HEAD, and the untracked files by name; cut at {@link maxDiffChars}.
 */
export async function gitDiffAttachment(): Promise<Attachment> {
	const folders = vscode.workspace.workspaceFolders ?? [];
	if (folders.length === 0) {
		throw new Error('open a folder to mention its git diff.');
	}
	const git = await gitApi();
	const repositories = new Map<string, GitRepository>();
	for (const folder of folders) {
		const repository = git.getRepository(folder.uri) ?? await git.openRepository(folder.uri);
		if (repository) {
			repositories.set(repository.rootUri.toString(), repository);
		}
	}
	if (repositories.size === 0) {
		throw new Error('the workspace is not in a git repository: there is no git diff to mention (run "git init" or open a repository).');
	}
	const sections = await Promise.all([...repositories.values()].map(describe));
	return { kind: 'file', path: 'Git diff', content: cutToSize(sections.join('\n\n'), maxDiffChars, 'the diff'), language: 'diff' };
}

/** One repository's changes: a heading that names it and its branch, staged, not staged, untracked. */
async function describe(repository: GitRepository): Promise<string> {
	await repository.status();
	const [staged, unstaged] = await Promise.all([repository.diff(true), repository.diff(false)]);
	const name = repository.rootUri.path.split('/').filter(Boolean).pop() ?? repository.rootUri.path;
	const branch = repository.state.HEAD?.name;
	const newFiles = [...repository.state.workingTreeChanges, ...repository.state.untrackedChanges ?? []]
		.filter(change => change.status === untracked)
		.map(change => vscode.workspace.asRelativePath(change.uri, false));
	const lines = [`Uncommitted changes in ${name}${branch ? ` (branch ${branch})` : ''}:`];
	if (!staged.trim() && !unstaged.trim() && newFiles.length === 0) {
		return `${lines[0]} none.`;
	}
	if (staged.trim()) {
		lines.push('Staged:', staged.trimEnd());
	}
	if (unstaged.trim()) {
		lines.push('Not staged:', unstaged.trimEnd());
	}
	if (newFiles.length > 0) {
		lines.push(`Untracked files (new, not in the diff): ${newFiles.join(', ')}`);
	}
	return lines.join('\n');
}

/** The Git extension's API once it has looked for repositories; a clear error when it is missing or turned off. */
async function gitApi(): Promise<GitApi> {
	const extension = vscode.extensions.getExtension<GitExtension>('vscode.git');
	if (!extension) {
		throw new Error('the git diff comes from VS Code\'s Git extension, which is not installed here.');
	}
	const exports = extension.isActive ? extension.exports : await extension.activate();
	if (!exports.enabled) {
		throw new Error('VS Code\'s Git extension is turned off: set "git.enabled" to true to mention the git diff.');
	}
	const api = exports.getAPI(1);
	if (api.state !== 'initialized') {
		await new Promise<void>(resolve => {
			const timer = setTimeout(() => { subscription.dispose(); resolve(); }, gitReadyMs);
			const subscription = api.onDidChangeState(state => {
				if (state === 'initialized') {
					clearTimeout(timer);
					subscription.dispose();
					resolve();
				}
			});
		});
	}
	return api;
}
