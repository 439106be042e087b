import * as vscode from 'vscode';
import type { ChatMode, Session } from '../shared/protocol';
import type { Sidecar } from '../sidecar/sidecar';

/** The modes a chat can be in (`session/modes`): their names for the composer, and the picker that changes one. */
export class ChatModes {
	constructor(private readonly _sidecar: Sidecar) {}

	/** The name the composer shows for the chat's mode; a chat made before modes has its own tools only. */
	async nameOf(session: Session): Promise<string> {
		if (!session.mode) {
			return 'No mode';
		}
		const modes = await this._sidecar.request('session/modes');
		return modes.find(mode => mode.id === session.mode)?.name ?? 'Unknown mode';
	}

	/** The sandbox policy the chat's commands run under in its mode, in words; undefined for a chat in no mode. */
	async sandboxOf(session: Session): Promise<string | undefined> {
		if (!session.mode) {
			return undefined;
		}
		const modes = await this._sidecar.request('session/modes');
		return modes.find(mode => mode.id === session.mode)?.sandboxPolicy ?? undefined;
	}

	/** A quick pick of the modes, the chat's marked; the choice holds from the chat's next turn and for new chats. */
	async pick(session: Session): Promise<Session | undefined> {
		const modes = await this._sidecar.request('session/modes');
		type Item = vscode.QuickPickItem & { mode: ChatMode };
		const items: Item[] = modes.map(mode => ({
			mode,
			label: `${mode.icon && /^[a-z-]+$/.test(mode.icon) ? `$(${mode.icon}) ` : ''}${mode.name}`,
			description: `${describeTools(mode)}${mode.plans ? ' · answers with a plan' : ''}${mode.id === session.mode ? ' · current' : ''}`,
			detail: mode.description || undefined,
		}));
		const picked = await vscode.window.showQuickPick(items, {
			title: 'Chat Mode',
			placeHolder: 'What the chat may do in your workspace (new chats start in the mode picked last)',
			matchOnDescription: true,
		});
		return picked ? this._sidecar.request('session/setMode', { id: session.id, mode: picked.mode.id }) : undefined;
	}
}

/** "read, search" or "read, write (asks), bash (runs without asking)": what the mode grants, in a line. */
export function describeTools(mode: ChatMode): string {
	if (mode.tools.length === 0) {
		return 'no tools';
	}
	const asks = new Set(['write', 'edit', 'bash']);
	return mode.tools.map(tool => !asks.has(tool) ? tool : mode.autoApprove.includes(tool) ? `${tool} (without asking)` : `${tool} (asks)`).join(', ');
}
