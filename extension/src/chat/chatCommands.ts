import * as vscode from 'vscode';
import { Panel } from '../panel/panel';
import type { RecordView, Session, SessionImportResult } from '../shared/protocol';
import type { KindSettings } from '../settings/kindSettings';
import { selectionAttachment } from '../panel/attachments';
import type { ChatDeps } from './chatController';
import { showChat } from './chatPanels';
import { defaultModelSetting, ModelChoice } from './chatModels';
import type { ChatView } from './chatView';
import { showFileSaved } from '../sidecar/fileNotices';
import { errorText } from '../shared/errorText';
import { showError } from '../sidecar/commandErrors';

/** A command's session argument: a Channels tree node (context menu) or a session id (tree click, other commands). */
type SessionArg = { session?: { id: string } } | string | undefined;

/** The `plue.chat.*` commands. Each returns what the tests can check. */
export function registerChatCommands(deps: ChatDeps, sideBar: ChatView): vscode.Disposable[] {
	// `action` names what failed: "Could not rename the chat: …".
	const command = (id: string, action: string, run: (arg: SessionArg) => Promise<unknown>): vscode.Disposable =>
		vscode.commands.registerCommand(id, (arg: SessionArg) => run(arg).catch((error: unknown) => {
			showError(action, error);
			return undefined;
		}));
	return [
		command('plue.chat.new', 'start a chat', () => newChat(deps, false)),
		command('plue.chat.newWithModel', 'start a chat', () => newChat(deps, true)),
		command('plue.chat.newInSideBar', 'start a chat', () => newChat(deps, false, id => sideBar.show(id))),
		command('plue.chat.moveToSideBar', 'move the chat to the side bar', arg => moveToSideBar(sideBar, arg)),
		command('plue.chat.moveToEditor', 'move the chat to an editor', () => moveToEditor(deps, sideBar)),
		command('plue.chat.setDefaultModel', 'set the default model', () => setDefaultModel(deps)),
		command('plue.chat.open', 'open the chat', arg => openChat(deps, arg)),
		command('plue.chat.rename', 'rename the chat', arg => renameChat(deps, arg)),
		command('plue.chat.fork', 'fork the chat', arg => forkChat(deps, arg)),
		command('plue.chat.export', 'export the chat', arg => exportChat(deps, arg)),
		command('plue.chat.import', 'import chats', () => importChats(deps)),
		command('plue.chat.archive', 'archive the chat', arg => archiveChat(deps, arg, true)),
		command('plue.chat.unarchive', 'unarchive the chat', arg => archiveChat(deps, arg, false)),
		command('plue.chat.delete', 'delete the chat', arg => deleteChat(deps, arg, sideBar)),
		command('plue.chat.refresh', 'refresh the chats', () => deps.sessions.refresh()),
		command('plue.chat.addSelection', 'add the selection to the chat', () => Promise.resolve(addSelection(sideBar))),
		command('plue.chat.focus', 'focus the chat', () => focusChat(deps, sideBar)),
		command('plue.chat.stop', 'stop the chat', () => stopChat(deps, sideBar)),
	];
}

/**
 * Opens a chat at once on the model the user would pick (see ChatModels); `ask` picks it first. A remembered
 * model that can no longer start a chat (its model gone from the instance) says why and asks for another.
 */
async function newChat(deps: ChatDeps, ask: boolean, show: (id: string) => unknown = id => showChat(deps, id)): Promise<string | undefined> {
	const known = ask ? undefined : await deps.models.forNewChat();
	let session: Session | undefined;
	if (known) {
		session = await deps.sidecar.request('session/create', known).catch((error: unknown) => {
			void vscode.window.showWarningMessage(`Plue: ${errorText(error)} Pick another model for the chat.`);
			return undefined;
		});
	}
	let chosen: ModelChoice | undefined = session && known;
	if (!session) {
		chosen = await deps.models.ask('New Chat');
		if (!chosen) {
			return undefined;
		}
		session = await deps.sidecar.request('session/create', { instanceId: chosen.instanceId, modelId: chosen.modelId, allowUnlisted: chosen.allowUnlisted });
	}
	await deps.models.remember({ instanceId: session.instanceId, modelId: session.modelId, allowUnlisted: chosen?.allowUnlisted });
	deps.sessions.upsert(session);
	await show(session.id);
	return session.id;
}

/** Picks an instance and model and writes them to the user's `plue.chat.defaultModel`. Returns the value written. */
async function setDefaultModel(deps: ChatDeps): Promise<string | undefined> {
	const picked = await deps.models.ask('Default Chat Model');
	if (!picked) {
		return undefined;
	}
	const value = `${picked.instanceName}/${picked.modelId}`;
	await vscode.workspace.getConfiguration().update(defaultModelSetting, value, vscode.ConfigurationTarget.Global);
	void vscode.window.showInformationMessage(`Plue: new chats start on ${picked.modelId} (${picked.instanceName}).`);
	return value;
}

async function openChat(deps: ChatDeps, arg: SessionArg): Promise<string | undefined> {
	const id = sessionId(arg) ?? await pickSession(deps, 'Open Chat');
	if (id) {
		showChat(deps, id);
	}
	return id;
}

async function renameChat(deps: ChatDeps, arg: SessionArg): Promise<void> {
	const session = await requireSession(deps, arg, 'Rename Chat');
	const title = await vscode.window.showInputBox({ title: 'Rename Chat', value: session.title, validateInput: v => v.trim() ? undefined : 'A title cannot be empty' });
	if (title === undefined) {
		return;
	}
	deps.sessions.upsert(await deps.sidecar.request('session/rename', { id: session.id, title: title.trim() }));
}

/**
 * Export Chat...: the whole chat as Markdown or JSON (`session/export`, what `plue sessions export` writes) to a file
 * the user picks in a save dialog, named from the chat's title.
 */
async function exportChat(deps: ChatDeps, arg: SessionArg): Promise<void> {
	const session = await requireSession(deps, arg, 'Export Chat');
	const format = await vscode.window.showQuickPick([
		{ label: 'Markdown', description: 'to read or share', format: 'markdown' as const },
		{ label: 'JSON', description: 'every message and part, as Plue stores them', format: 'json' as const },
	], { title: `Export "${session.title}"`, placeHolder: 'Export as' });
	if (!format) {
		return;
	}
	const exported = await deps.sidecar.request('session/export', { id: session.id, format: format.format });
	const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
	const target = await vscode.window.showSaveDialog({
		title: `Export "${session.title}"`,
		defaultUri: folder ? vscode.Uri.joinPath(folder, exported.fileName) : undefined,
		filters: format.format === 'json' ? { JSON: ['json'] } : { Markdown: ['md'] },
	});
	if (!target) {
		return;
	}
	await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(exported.text));
	void showFileSaved(`Plue: exported "${session.title}" to`, target);
}

/** A file past this size is refused before it is read: one request to the sidecar carries at most 64 MiB. */
const maxImportBytes = 60 * 1024 * 1024;

/**
 * Import Chats...: a sessions file (`plue sessions export --all`) or one chat's JSON export, picked in an open dialog and
 * written by `session/import` (what `plue sessions import` calls): all or nothing, never over a chat here. The toast
 * says what was imported and what was not; one chat imported can be opened from it. Returns the sidecar's result.
 */
async function importChats(deps: ChatDeps): Promise<SessionImportResult | undefined> {
	const [file] = await vscode.window.showOpenDialog({
		title: 'Import Chats', openLabel: 'Import', canSelectMany: false, filters: { JSON: ['json'] },
		defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
	}) ?? [];
	if (!file) {
		return undefined;
	}
	const { size } = await vscode.workspace.fs.stat(file);
	if (size > maxImportBytes) {
		throw new Error(`${vscode.workspace.asRelativePath(file)} is ${Math.round(size / 1024 / 1024)} MiB; Plue imports files of up to ${maxImportBytes / 1024 / 1024} MiB. Export fewer at a time: one chat with Export Chat... as JSON, or "plue sessions export <chat> --format json".`);
	}
	const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Plue: importing ${vscode.workspace.asRelativePath(file)}…` }, async progress => {
		progress.report({ message: 'reading the file' });
		const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
		progress.report({ message: `writing ${size > 1024 * 1024 ? `${Math.round(size / 1024 / 1024)} MiB of ` : ''}chats and tasks` });
		return deps.sidecar.request('session/import', { json: text });
	});
	await deps.sessions.refresh();
	const open = result.chatId ? 'Open Chat' : undefined;
	const buttons = open ? [open] : [];
	const warn = result.missingInstances.length > 0 || result.chats + result.tasks === 0;
	void (warn ? vscode.window.showWarningMessage(`Plue: ${result.message}`, ...buttons) : vscode.window.showInformationMessage(`Plue: ${result.message}`, ...buttons)).then(choice => {
		if (choice === open && result.chatId) {
			showChat(deps, result.chatId);
		}
	});
	return result;
}

/** Forks from the session's last message. */
async function forkChat(deps: ChatDeps, arg: SessionArg): Promise<string | undefined> {
	const session = await requireSession(deps, arg, 'Fork Chat');
	const { messages } = await deps.sidecar.request('session/messages', { id: session.id, limit: 1 });
	const last = messages.at(-1);
	if (!last) {
		void vscode.window.showInformationMessage('Plue: this chat has no messages to fork from.');
		return undefined;
	}
	const forked = await deps.sidecar.request('session/fork', { sessionId: session.id, messageId: last.id });
	deps.sessions.upsert(forked);
	showChat(deps, forked.id);
	return forked.id;
}

async function archiveChat(deps: ChatDeps, arg: SessionArg, archived: boolean): Promise<void> {
	const session = await requireSession(deps, arg, archived ? 'Archive Chat' : 'Unarchive Chat');
	deps.sessions.upsert(await deps.sidecar.request('session/archive', { id: session.id, archived }));
}

async function deleteChat(deps: ChatDeps, arg: SessionArg, sideBar: ChatView): Promise<boolean> {
	const session = await requireSession(deps, arg, 'Delete Chat');
	const choice = await vscode.window.showWarningMessage(`Delete the chat "${session.title}"?`, { modal: true, detail: 'Its messages are deleted too. This cannot be undone.' }, 'Delete');
	if (choice !== 'Delete') {
		return false;
	}
	const { deleted } = await deps.sidecar.request('session/delete', { id: session.id });
	if (deleted) {
		Panel.get(session.id)?.dispose();
		if (sideBar.sessionId === session.id) {
			await sideBar.clear();
		}
		deps.sessions.remove(session.id);
	}
	return deleted;
}

/** Adds the active editor's selection as a chip to the last chat tab used, else the side bar's chat. Returns whether it did. */
function addSelection(sideBar: ChatView): boolean {
	const editor = vscode.window.activeTextEditor;
	const panel = Panel.lastActive;
	if (!editor) {
		void vscode.window.showWarningMessage('Plue: select some text in an editor first.');
		return false;
	}
	const attachment = selectionAttachment(editor);
	if (panel) {
		panel.post({ type: 'addAttachment', attachment });
		panel.panel.reveal(undefined, true);
		return true;
	}
	if (sideBar.post({ type: 'addAttachment', attachment })) {
		return true;
	}
	void vscode.window.showWarningMessage('Plue: open a chat first ("Plue: New Chat" or "Plue: Open Chat").');
	return false;
}

/** Moves a chat (a tree node's, else the last chat tab used) to the side bar. Returns its id. */
async function moveToSideBar(sideBar: ChatView, arg: SessionArg): Promise<string | undefined> {
	const id = sessionId(arg) ?? Panel.lastActive?.id;
	if (!id) {
		void vscode.window.showWarningMessage('Plue: open a chat first, then move it to the side bar.');
		return undefined;
	}
	await sideBar.show(id);
	return id;
}

/** Moves the side bar's chat to an editor tab. Returns its id. */
async function moveToEditor(deps: ChatDeps, sideBar: ChatView): Promise<string | undefined> {
	const id = sideBar.sessionId;
	if (!id) {
		return undefined;
	}
	await sideBar.clear();
	showChat(deps, id);
	return id;
}

/**
 * Brings the last chat tab used to the front with its message box focused, else the side bar's chat; with neither,
 * starts a new chat.
 */
async function focusChat(deps: ChatDeps, sideBar: ChatView): Promise<string | undefined> {
	const panel = Panel.lastActive;
	if (panel) {
		panel.panel.reveal(undefined, false);
		panel.post({ type: 'focusComposer' });
		return panel.id;
	}
	if (sideBar.sessionId) {
		await sideBar.show(sideBar.sessionId);
		sideBar.post({ type: 'focusComposer' });
		return sideBar.sessionId;
	}
	return newChat(deps, false);
}

/** Stops the reply the last chat tab used (else the side bar's chat) is writing. Returns whether there was a chat to stop. */
async function stopChat(deps: ChatDeps, sideBar: ChatView): Promise<boolean> {
	const id = Panel.lastActive?.id ?? sideBar.sessionId;
	if (!id) {
		return false;
	}
	await deps.sidecar.request('session/cancel', { sessionId: id });
	return true;
}

function sessionId(arg: SessionArg): string | undefined {
	return typeof arg === 'string' ? arg : arg?.session?.id;
}

/** The chat `arg` names, else the one picked in a box titled after the command (`title`, "Export Chat"). */
async function requireSession(deps: ChatDeps, arg: SessionArg, title: string): Promise<Session> {
	const id = sessionId(arg) ?? await pickSession(deps, title);
	const session = id ? deps.sessions.get(id) : undefined;
	if (!session) {
		throw new Error(id ? `there is no chat ${id}` : 'no chat was chosen');
	}
	return session;
}

async function pickSession(deps: ChatDeps, title: string): Promise<string | undefined> {
	await deps.sessions.refresh();
	const picked = await vscode.window.showQuickPick(
		deps.sessions.all.map(s => ({ label: s.title || s.slug, description: `${s.modelId}${s.status === 'archived' ? ' · archived' : ''}`, id: s.id })),
		{ title, placeHolder: deps.sessions.lastError ?? 'Pick a chat' },
	);
	return picked?.id;
}

/** A chat in the settings room: New Chat picks its model; a change to its settings takes effect on its next turn. */
export const chatSettings: readonly [RecordView['kind'], KindSettings] = ['ai-chat', {
	create: { command: 'plue.chat.new', label: 'New Chat' },
	note: 'Changes take effect on the chat\'s next turn.',
}];
