import * as vscode from 'vscode';
import type { ChannelNode } from '../channels/channelsTreeProvider';
import { Panel } from '../panel/panel';
import type { Session } from '../shared/protocol';
import { pickInstanceAndModel } from '../providers/pickModel';
import { selectionAttachment } from './attachments';
import type { ChatDeps } from './chatController';
import { showChat } from './chatPanels';

/** A command's session argument: a Channels tree node (context menu) or a session id (tree click, other commands). */
type SessionArg = ChannelNode | string | undefined;

/** The `plue.chat.*` commands. Each returns what the tests can check. */
export function registerChatCommands(deps: ChatDeps): vscode.Disposable[] {
	const command = (id: string, run: (arg: SessionArg) => Promise<unknown>): vscode.Disposable =>
		vscode.commands.registerCommand(id, (arg: SessionArg) => run(arg).catch((error: unknown) => {
			const message = error instanceof Error ? error.message : String(error);
			void vscode.window.showErrorMessage(`Plue: ${message}`);
			return undefined;
		}));
	return [
		command('plue.chat.new', () => newChat(deps)),
		command('plue.chat.open', arg => openChat(deps, arg)),
		command('plue.chat.rename', arg => renameChat(deps, arg)),
		command('plue.chat.fork', arg => forkChat(deps, arg)),
		command('plue.chat.archive', arg => archiveChat(deps, arg, true)),
		command('plue.chat.unarchive', arg => archiveChat(deps, arg, false)),
		command('plue.chat.delete', arg => deleteChat(deps, arg)),
		command('plue.chat.refresh', () => deps.sessions.refresh()),
		command('plue.chat.addSelection', () => Promise.resolve(addSelection())),
	];
}

async function newChat(deps: ChatDeps): Promise<string | undefined> {
	const picked = await pickInstanceAndModel(deps.sidecar, deps.instances);
	if (!picked) {
		return undefined;
	}
	const session = await deps.sidecar.request('session/create', { instanceId: picked.instanceId, modelId: picked.modelId });
	deps.sessions.upsert(session);
	showChat(deps, session.id);
	return session.id;
}

async function openChat(deps: ChatDeps, arg: SessionArg): Promise<string | undefined> {
	const id = sessionId(arg) ?? await pickSession(deps);
	if (id) {
		showChat(deps, id);
	}
	return id;
}

async function renameChat(deps: ChatDeps, arg: SessionArg): Promise<void> {
	const session = await requireSession(deps, arg);
	const title = await vscode.window.showInputBox({ title: 'Rename Chat', value: session.title, validateInput: v => v.trim() ? undefined : 'A title cannot be empty' });
	if (title === undefined) {
		return;
	}
	deps.sessions.upsert(await deps.sidecar.request('session/rename', { id: session.id, title: title.trim() }));
}

/** Forks from the session's last message. */
async function forkChat(deps: ChatDeps, arg: SessionArg): Promise<string | undefined> {
	const session = await requireSession(deps, arg);
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
	const session = await requireSession(deps, arg);
	deps.sessions.upsert(await deps.sidecar.request('session/archive', { id: session.id, archived }));
}

async function deleteChat(deps: ChatDeps, arg: SessionArg): Promise<boolean> {
	const session = await requireSession(deps, arg);
	const choice = await vscode.window.showWarningMessage(`Delete the chat "${session.title}"?`, { modal: true, detail: 'Its messages are deleted too. This cannot be undone.' }, 'Delete');
	if (choice !== 'Delete') {
		return false;
	}
	const { deleted } = await deps.sidecar.request('session/delete', { id: session.id });
	if (deleted) {
		Panel.get(session.id)?.dispose();
		deps.sessions.remove(session.id);
	}
	return deleted;
}

/** Adds the active editor's selection as a chip to the last active chat panel. Returns whether it did. */
function addSelection(): boolean {
	const editor = vscode.window.activeTextEditor;
	const panel = Panel.lastActive;
	if (!editor) {
		void vscode.window.showWarningMessage('Plue: select some text in an editor first.');
		return false;
	}
	if (!panel) {
		void vscode.window.showWarningMessage('Plue: open a chat first ("Plue: New Chat" or "Plue: Open Chat").');
		return false;
	}
	panel.post({ type: 'addAttachment', attachment: selectionAttachment(editor) });
	panel.panel.reveal(undefined, true);
	return true;
}

function sessionId(arg: SessionArg): string | undefined {
	return typeof arg === 'string' ? arg : arg?.session?.id;
}

async function requireSession(deps: ChatDeps, arg: SessionArg): Promise<Session> {
	const id = sessionId(arg) ?? await pickSession(deps);
	const session = id ? deps.sessions.get(id) : undefined;
	if (!session) {
		throw new Error(id ? `there is no chat ${id}` : 'no chat was chosen');
	}
	return session;
}

async function pickSession(deps: ChatDeps): Promise<string | undefined> {
	await deps.sessions.refresh();
	const picked = await vscode.window.showQuickPick(
		deps.sessions.all.map(s => ({ label: s.title || s.slug, description: `${s.modelId}${s.status === 'archived' ? ' · archived' : ''}`, id: s.id })),
		{ title: 'Open Chat', placeHolder: deps.sessions.lastError ?? 'Pick a chat' },
	);
	return picked?.id;
}
