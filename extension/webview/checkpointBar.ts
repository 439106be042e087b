import { describeFileChanges } from '../src/shared/format';
import type { Checkpoint } from '../src/shared/protocol';
import { button, el, icon } from './dom';
import { post } from './vscodeApi';

/**
 * A turn's checkpoint under its user message: what the turn changed in the workspace, Show Diff, and Restore (to
 * before the turn; the host asks whether files, conversation or both). Disabled while a reply runs.
 */
export function checkpointBar(messageId: string, checkpoint: Checkpoint, busy: boolean): HTMLElement {
	const bar = el('div', 'message-checkpoint');
	bar.setAttribute('role', 'group');
	bar.setAttribute('aria-label', 'Checkpoint');
	const summary = describeFileChanges(checkpoint);
	const label = el('span', 'checkpoint-label', `Checkpoint · ${summary}`);
	label.title = checkpoint.files.map(f => `${f.change}: ${f.path}`).join('\n');
	const diff = button('diff', `Show what this turn changed (${summary})`, () => post({ type: 'showCheckpointDiff', checkpointId: checkpoint.id }), { text: 'Show Diff' });
	const restore = button('discard', 'Restore files or conversation to before this message', () => post({ type: 'restoreCheckpoint', messageId }), { text: 'Restore' });
	restore.disabled = busy;
	bar.append(icon('history'), label, diff, restore);
	return bar;
}
