import * as path from 'node:path';
import * as vscode from 'vscode';
import type { EditorTracker } from './editorTracker';
import type { MentionItem } from '../shared/panelMessages';
import type { Attachment } from '../shared/protocol';
import { fileAttachment, selectionAttachment } from './attachments';
import { fuzzyScore } from './fuzzyScore';
import { gitDiffAttachment } from './gitDiff';
import type { McpMentions } from './mcpMentions';
import type { McpPrompts } from './mcpPrompts';
import type { TerminalOutputs } from './terminalOutputs';

/** How many workspace paths are searched at most, and how many matches the menu shows. */
const maxFiles = 5000;
const maxResults = 30;
/** The workspace's file list is read again after this long (files come and go while a chat is open). */
const listTtlMs = 10_000;
/** Folder listings and problems stop here: they are context, not a dump. */
const maxListedEntries = 400;

/**
 * What `@` offers in a chat's composer: the active file, the selection, the problems, the git diff, the terminal's
 * last command, a web page (`@url`, or an address typed after `@`), a search of the workspace (`@codebase`: the
 * sidecar fetches and searches when the message is sent), the enabled MCP servers' resources, and the workspace's files and folders by fuzzy match. A chosen mention becomes an attachment (a chip)
 * like a picked file.
 */
export class Mentions {
	private _files: { at: number; paths: Promise<string[]> } | undefined;

	/** `prompts`: the `/` menu's MCP prompts, answered beside the `@` menu. */
	constructor(private readonly _editors: EditorTracker, private readonly _terminals: TerminalOutputs, private readonly _mcp: McpMentions,
		readonly prompts: McpPrompts) {}

	/** The menu for `@query`: the fixed entries that match, then MCP resources, files and folders, best match first. */
	async search(query: string): Promise<MentionItem[]> {
		const fixed: MentionItem[] = [
			{ kind: 'activeFile', label: 'Active file', description: this.activeName() ?? 'no editor open' },
			{ kind: 'selection', label: 'Selection', description: this.activeName() ? `in ${this.activeName()}` : 'no editor open' },
			{ kind: 'problems', label: 'Problems', description: 'errors and warnings in the workspace' },
			{ kind: 'gitDiff', label: 'Git diff', description: 'uncommitted changes, staged and not' },
			{ kind: 'terminal', label: 'Terminal', description: this._terminals.describe() },
			{ kind: 'url', label: 'URL', description: vscode.workspace.isTrusted ? 'a web page, fetched and reduced to text when you send' : 'a web page: only in a trusted workspace' },
			{ kind: 'codebase', label: 'Codebase', description: 'search the workspace for some words and attach the best chunks' },
		];
		// An address typed after @ is offered as itself.
		const typedUrl: MentionItem[] = /^https?:\/\/\S+$/i.test(query) ? [{ kind: 'url', label: query, description: 'fetch this page and attach its text', uri: query }] : [];
		const [paths, resources] = await Promise.all([this.files(), this._mcp.items()]);
		const folders = [...new Set(paths.flatMap(ancestors))];
		const candidates: MentionItem[] = [
			...resources,
			...folders.map(folder => ({ kind: 'folder' as const, label: `${folder}/`, path: folder })),
			...paths.map(file => ({ kind: 'file' as const, label: path.posix.basename(file), description: path.posix.dirname(file) === '.' ? undefined : path.posix.dirname(file), path: file })),
		];
		const scored = candidates.map(item => ({ item, score: fuzzyScore(query, item.path ?? item.label) }))
			.filter(s => s.score > 0)
			.sort((a, b) => b.score - a.score || (a.item.path ?? '').length - (b.item.path ?? '').length)
			.slice(0, maxResults)
			.map(s => s.item);
		return [...typedUrl, ...fixed.filter(item => fuzzyScore(query, item.label) > 0), ...scored];
	}

	/**
	 * What a mention chosen in the menu attaches: `@url` and `@codebase` ask for the address or the words when none was
	 * typed (undefined when the user dismisses the box); the others are their attachment.
	 */
	async pick(item: MentionItem): Promise<Attachment | undefined> {
		switch (item.kind) {
			case 'url':
				return urlAttachment(item.uri);
			case 'codebase':
				return codebaseAttachment();
			default:
				return this.attachment(item);
		}
	}

	/** The attachment a chosen mention stands for. */
	async attachment(item: MentionItem): Promise<Attachment> {
		switch (item.kind) {
			case 'url':
			case 'codebase':
				throw new Error(`@${item.kind} asks what to fetch or look for: choose it from the @ menu.`);
			case 'activeFile':
				return fileAttachment(this.editor().document.uri);
			case 'selection':
				return selectionAttachment(this.editor());
			case 'problems':
				return problemsAttachment();
			case 'gitDiff':
				return gitDiffAttachment();
			case 'terminal':
				return this._terminals.attachment();
			case 'folder':
				return folderAttachment(this.workspaceUri(item.path), item.path ?? '');
			case 'file':
				return fileAttachment(this.workspaceUri(item.path));
			case 'mcpResource':
				return this._mcp.attachment(item);
			case 'mcpPrompt':
			case 'command':
				throw new Error(`${item.label} is a prompt, not something to attach: type / at the start of the message to use it.`);
		}
	}

	private editor(): vscode.TextEditor {
		const editor = this._editors.last;
		if (!editor) {
			throw new Error('open a file in an editor first: there is no active file or selection to mention.');
		}
		return editor;
	}

	private activeName(): string | undefined {
		const editor = this._editors.last;
		return editor ? vscode.workspace.asRelativePath(editor.document.uri, false) : undefined;
	}

	private workspaceUri(relative: string | undefined): vscode.Uri {
		const folder = vscode.workspace.workspaceFolders?.[0];
		if (!folder || !relative) {
			throw new Error('open a folder to mention its files.');
		}
		return vscode.Uri.joinPath(folder.uri, relative);
	}

	/** The workspace's files (relative, forward slashes), less what files.exclude and search.exclude leave out. */
	private files(): Promise<string[]> {
		if (!this._files || Date.now() - this._files.at > listTtlMs) {
			const paths = Promise.resolve(vscode.workspace.findFiles('**/*', undefined, maxFiles))
				.then(uris => uris.map(uri => vscode.workspace.asRelativePath(uri, false).replace(/\\/g, '/')).sort());
			this._files = { at: Date.now(), paths };
			return paths;
		}
		return this._files.paths;
	}
}

/**
 * The words a chosen mention leaves in the sentence, where its `@` was: the message reads whole to the model and in
 * the chat's title ("Summarise the page https://… please"), and the chip carries what is attached.
 */
export function mentionReference(item: MentionItem, attachment: Attachment): string {
	switch (item.kind) {
		case 'url':
			return `the page ${attachment.path}`;
		case 'codebase':
			return `the code found for '${attachment.path}'`;
		case 'problems':
			return 'the problems';
		case 'gitDiff':
			return 'the git diff';
		case 'terminal':
			return "the terminal's output";
		case 'selection':
			return attachment.range ? `lines ${attachment.range.startLine}-${attachment.range.endLine} of ${attachment.path}` : attachment.path;
		default:
			return attachment.path;
	}
}

/** Every folder above a relative file path ("a/b/c.ts" → "a", "a/b"). */
function ancestors(file: string): string[] {
	const parts = file.split('/').slice(0, -1);
	return parts.map((_, i) => parts.slice(0, i + 1).join('/'));
}

/**
 * `@url`: the page's address (asked for when none was typed); the sidecar fetches it when the message is sent, so the
 * chip is the address. In Restricted Mode it is refused here, as the sidecar would.
 */
async function urlAttachment(typed: string | undefined): Promise<Attachment | undefined> {
	if (!vscode.workspace.isTrusted) {
		throw new Error('@url fetches pages only in a trusted workspace, and this one is in Restricted Mode. Trust the folder (Manage Workspace Trust in the Command Palette) to attach a page, or paste its text.');
	}
	const url = typed ?? await vscode.window.showInputBox({
		title: 'Attach a web page',
		prompt: 'Its text is fetched when you send the message (HTML reduced to text, at most 40,000 characters).',
		placeHolder: 'https://…',
		ignoreFocusOut: true,
		validateInput: value => isWebAddress(value.trim()) ? undefined : 'Give an address that starts with https:// (or http://).',
	});
	return url ? { kind: 'url', path: url.trim() } : undefined;
}

/** `@codebase`: the words to look for; the sidecar searches the workspace when the message is sent. */
async function codebaseAttachment(): Promise<Attachment | undefined> {
	const words = await vscode.window.showInputBox({
		title: 'Attach from the codebase',
		prompt: 'The workspace\'s files are searched for these words when you send; the best-matching chunks are attached.',
		placeHolder: 'a name, or a few words (parseConfig, retry backoff)',
		ignoreFocusOut: true,
		validateInput: value => value.trim() ? undefined : 'Type a name or a few words to look for.',
	});
	return words?.trim() ? { kind: 'codebase', path: words.trim() } : undefined;
}

function isWebAddress(value: string): boolean {
	try {
		const url = new URL(value);
		return url.protocol === 'https:' || url.protocol === 'http:';
	} catch {
		return false;
	}
}

/** The workspace's errors and warnings, one a line ("src/a.ts:3:5 error: …"), as a text attachment. */
function problemsAttachment(): Attachment {
	const lines = vscode.languages.getDiagnostics()
		.flatMap(([uri, diagnostics]) => diagnostics
			.filter(d => d.severity <= vscode.DiagnosticSeverity.Warning)
			.map(d => `${vscode.workspace.asRelativePath(uri, false)}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.severity === vscode.DiagnosticSeverity.Error ? 'error' : 'warning'}${d.source ? ` (${d.source})` : ''}: ${d.message}`));
	const shown = lines.slice(0, maxListedEntries);
	const content = lines.length === 0 ? 'No errors or warnings.' : shown.join('\n') + (lines.length > shown.length ? `\n… and ${lines.length - shown.length} more` : '');
	return { kind: 'file', path: 'Problems', content, language: 'text' };
}

/** A folder as the list of its files (names, not contents: the model can ask for a file, or the user attach it). */
async function folderAttachment(uri: vscode.Uri, relative: string): Promise<Attachment> {
	const pattern = new vscode.RelativePattern(uri, '**/*');
	const files = (await vscode.workspace.findFiles(pattern, undefined, maxListedEntries + 1))
		.map(file => vscode.workspace.asRelativePath(file, false).replace(/\\/g, '/')).sort();
	if (files.length === 0) {
		throw new Error(`${relative}/ has no files to mention.`);
	}
	const shown = files.slice(0, maxListedEntries);
	const content = `Files in ${relative}/:\n${shown.join('\n')}${files.length > shown.length ? '\n… and more' : ''}`;
	return { kind: 'file', path: `${relative}/`, content, language: 'text' };
}
