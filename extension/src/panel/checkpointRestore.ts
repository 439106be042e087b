import * as vscode from 'vscode';
import type { CheckpointRestoreParams, CheckpointRestoreResult } from '../shared/protocol';
import type { Sidecar } from '../sidecar/sidecar';
import { showError } from '../sidecar/commandErrors';

/** What the user chose to restore: the files, the conversation, or both. */
type RestoreChoice = Pick<CheckpointRestoreParams, 'files' | 'conversation'>;

const filesAndConversation = 'Files and Conversation';
const filesOnly = 'Files Only';
const conversationOnly = 'Conversation Only';

/**
 * "Restore" on a message: asks what to restore (a task's conversation is the sidecar's, so only its files), restores
 * to before the message's turn, asks again before overwriting files changed since, and offers Undo (the restore's own
 * checkpoint). Returns the result, or undefined when the user cancelled.
 */
export async function restoreToMessage(sidecar: Sidecar, sessionId: string, messageId: string, offerConversation: boolean): Promise<CheckpointRestoreResult | undefined> {
	const choice = await ask(offerConversation);
	if (!choice) {
		return undefined;
	}
	let result = await sidecar.request('checkpoint/restore', { sessionId, messageId, ...choice });
	if (!result.restored) {
		const overwrite = await vscode.window.showWarningMessage(
			`${result.conflicts.length === 1 ? 'A file was' : `${result.conflicts.length} files were`} changed since this turn changed them.`,
			{ modal: true, detail: `${result.conflicts.join('\n')}\n\nRestoring overwrites ${result.conflicts.length === 1 ? 'it' : 'them'}; Undo in the notification brings ${result.conflicts.length === 1 ? 'it' : 'them'} back.` },
			'Overwrite');
		if (overwrite !== 'Overwrite') {
			return undefined;
		}
		result = await sidecar.request('checkpoint/restore', { sessionId, messageId, ...choice, force: true });
	}
	if (result.undoCheckpointId) {
		void offerUndo(sidecar, sessionId, result);
	}
	return result;
}

async function ask(offerConversation: boolean): Promise<RestoreChoice | undefined> {
	const detail = offerConversation
		? 'Files: what the chat changed since is put back as it was before this message. Conversation: this message and every later one are removed, and the message goes back into the composer.'
		: 'What the task and its sub-tasks changed since is put back as it was before this message.';
	const buttons = offerConversation ? [filesAndConversation, filesOnly, conversationOnly] : ['Restore Files'];
	const picked = await vscode.window.showWarningMessage('Restore to before this message?', { modal: true, detail }, ...buttons);
	switch (picked) {
		case filesAndConversation:
			return { files: true, conversation: true };
		case filesOnly:
		case 'Restore Files':
			return { files: true, conversation: false };
		case conversationOnly:
			return { files: false, conversation: true };
		default:
			return undefined;
	}
}

/** The restore's own checkpoint is its undo: restoring to it puts back what the restore replaced. */
async function offerUndo(sidecar: Sidecar, sessionId: string, result: CheckpointRestoreResult): Promise<void> {
	const count = result.files.length;
	const undo = await vscode.window.showInformationMessage(`Plue: restored ${count} ${count === 1 ? 'file' : 'files'}.`, 'Undo');
	if (undo !== 'Undo' || !result.undoCheckpointId) {
		return;
	}
	try {
		// Not forced: a file changed since the restore is the user's again, and is kept.
		const undone = await sidecar.request('checkpoint/restore', { sessionId, checkpointId: result.undoCheckpointId });
		if (!undone.restored) {
			void vscode.window.showWarningMessage(`Plue: the restore was not undone: ${undone.conflicts.join(', ')} changed since. Nothing was overwritten.`);
		}
	} catch (error) {
		showError('undo the restore', error);
	}
}
