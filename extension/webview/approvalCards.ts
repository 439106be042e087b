import { everywhereLabel, hostLabel, narrowestAnswer, narrowLabel, narrowAnswer, ownerKind, type ApprovalPrompt, type ApprovalScope } from '../src/shared/approvalPrompt';
import { withoutSandboxMark } from '../src/shared/format';
import { button, el, icon } from './dom';
import { post } from './vscodeApi';

/**
 * The approval cards above the composer: what a task (or a claude-code chat)
 * wants to do, with Allow, Allow always (task / workspace / a host / everywhere) and Deny with an
 * optional message; for a spend cap, Raise cap or Stop. A card answered here
 * or elsewhere (notification, tree) disappears when the host says so. A new
 * card takes the keyboard focus unless the user is typing.
 */
export class ApprovalCards {
	readonly element = el('section', 'approvals');
	private readonly _cards = new Map<string, HTMLElement>();

	constructor() {
		this.element.setAttribute('aria-label', 'Waiting for your approval');
		this.element.setAttribute('aria-live', 'polite');
		this.element.hidden = true;
	}

	render(prompts: ApprovalPrompt[]): void {
		const ids = new Set(prompts.map(p => p.id));
		for (const [id, card] of this._cards) {
			if (!ids.has(id)) {
				card.remove();
				this._cards.delete(id);
			}
		}
		let first: HTMLElement | undefined;
		for (const prompt of prompts) {
			if (!this._cards.has(prompt.id)) {
				const card = buildCard(prompt);
				this._cards.set(prompt.id, card);
				this.element.append(card);
				first ??= card;
			}
		}
		this.element.hidden = this._cards.size === 0;
		const active = document.activeElement;
		const typing = (active instanceof HTMLTextAreaElement || active instanceof HTMLInputElement) && active.value.trim() !== '';
		// A card takes the keyboard within its page only: never from the workbench (an open quick pick would close).
		if (first && !typing && document.hasFocus()) {
			first.querySelector<HTMLElement>('.approval-actions button')?.focus();
		}
	}
}

function buildCard(prompt: ApprovalPrompt): HTMLElement {
	const card = el('div', 'approval-card');
	card.dataset.approvalId = prompt.id;
	card.setAttribute('role', 'group');
	const titleId = `approval-title-${prompt.id}`;
	card.setAttribute('aria-labelledby', titleId);
	const head = el('div', 'approval-head');
	head.append(icon(prompt.spendCap ? 'warning' : 'shield'), el('span', 'approval-owner', `${capitalize(prompt.owner)} ${prompt.spendCap ? 'has stopped' : `wants to use ${prompt.tool}`}`));
	const title = el('div', 'approval-title', prompt.title);
	title.id = titleId;
	card.append(head, title);
	if (prompt.reason) {
		card.append(el('div', 'approval-reason', prompt.reason));
	}
	if (prompt.preview) {
		card.append(previewElement(prompt.preview.kind, prompt.preview.text));
	}
	if (prompt.sandboxPolicy) {
		card.append(sandboxLine(prompt.sandboxPolicy));
	}
	card.append(prompt.spendCap ? capActions(prompt, prompt.spendCap) : toolActions(prompt));
	return card;
}

/**
 * Where the command will run: "Runs in the sandbox: Workspace write (…)", that it runs without one, or a task's
 * container or swarm job (a place, which the sidecar words starting "in ": "in its container on Build box (…)").
 */
function sandboxLine(policy: string): HTMLElement {
	const unconfined = policy.endsWith('(not sandboxed)');
	const place = policy.startsWith('in ');
	const line = el('div', `approval-sandbox${unconfined ? ' approval-sandbox-off' : ''}`);
	const words = unconfined ? `Runs without the sandbox: ${withoutSandboxMark(policy)}` : place ? `Runs ${policy}` : `Runs in the sandbox: ${policy}`;
	line.append(icon(unconfined ? 'unlock' : place ? 'vm' : 'lock'), el('span', undefined, words));
	return line;
}

function toolActions(prompt: ApprovalPrompt): HTMLElement {
	const actions = el('div', 'approval-actions');
	const answer = (decision: 'allow' | 'allowAlways', scope?: ApprovalScope, narrow?: { commandPrefix?: string; pathGlob?: string; host?: string }) => () =>
		post({ type: 'answerApproval', id: prompt.id, decision, ...(scope ? { scope } : {}), ...narrow });
	const message = el('input', 'approval-message');
	message.type = 'text';
	message.placeholder = 'Why not? (optional, told to the agent)';
	message.setAttribute('aria-label', 'Message to the agent if you deny');
	const deny = (): void => post({ type: 'answerApproval', id: prompt.id, decision: 'deny', ...(message.value.trim() ? { message: message.value.trim() } : {}) });
	message.addEventListener('keydown', e => {
		if (e.key === 'Enter' && !e.isComposing) {
			e.preventDefault();
			deny();
		}
	});
	actions.append(button('check', `Allow ${prompt.title} once`, answer('allow'), { text: 'Allow', className: 'primary-button' }));
	if (prompt.diffable) {
		actions.append(button('diff', `Show the change of ${prompt.title} in the diff editor`, () => post({ type: 'showApprovalDiff', id: prompt.id }), { text: 'Show Diff' }));
	}
	const narrowed = narrowLabel(prompt);
	if (prompt.narrow && narrowed) {
		actions.append(button('workspace-trusted', narrowed, answer('allowAlways', 'workspace', narrowAnswer(prompt.narrow)), { text: narrowed, className: 'approval-narrow' }));
	}
	const toHost = hostLabel(prompt);
	if (toHost) {
		actions.append(button('globe', toHost, answer('allowAlways', 'workspace', narrowestAnswer(prompt)), { text: toHost, className: 'approval-host' }));
	}
	const kind = ownerKind(prompt);
	if (kind) {
		actions.append(button('check-all', `Allow every ${prompt.tool} call of this ${kind}`, answer('allowAlways', 'task'), { text: `Always for this ${kind}` }));
	}
	actions.append(
		button('workspace-trusted', `Allow every ${prompt.tool} call in this workspace`, answer('allowAlways', 'workspace'), { text: 'Always in this workspace' }),
		// The user-wide rule is the narrowest one offered: a whole tool everywhere is rarely meant.
		button('globe', `${everywhereLabel(prompt)}, in every workspace`, answer('allowAlways', 'everywhere', narrowestAnswer(prompt)), { text: everywhereLabel(prompt), className: 'approval-everywhere' }),
		message,
		button('close', `Deny ${prompt.title}`, deny, { text: 'Deny', className: 'deny-button' }),
	);
	return actions;
}

function capActions(prompt: ApprovalPrompt, cap: { spentUsd: number; capUsd: number }): HTMLElement {
	const actions = el('div', 'approval-actions');
	const label = el('label', 'approval-cap-label', 'New cap (USD)');
	const input = el('input', 'approval-cap');
	input.type = 'number';
	input.step = '0.5';
	input.min = String(Math.max(cap.spentUsd, cap.capUsd));
	input.value = String(Math.ceil(Math.max(cap.spentUsd, cap.capUsd, 1) * 2 * 100) / 100);
	input.setAttribute('aria-label', 'New spend cap in US dollars');
	label.append(input);
	const error = el('span', 'approval-error');
	error.setAttribute('role', 'alert');
	const raise = (): void => {
		const value = Number(input.value);
		if (!Number.isFinite(value) || value <= Math.max(cap.spentUsd, cap.capUsd)) {
			error.textContent = `The new cap must be above $${Math.max(cap.spentUsd, cap.capUsd).toFixed(2)}.`;
			input.focus();
			return;
		}
		post({ type: 'answerApproval', id: prompt.id, decision: 'allow', message: String(value) });
	};
	input.addEventListener('keydown', e => {
		if (e.key === 'Enter') {
			e.preventDefault();
			raise();
		}
	});
	actions.append(
		label,
		button('arrow-up', 'Raise the spend cap and continue', raise, { text: 'Raise cap', className: 'primary-button' }),
		button('debug-stop', 'Stop the task at its spend cap', () => post({ type: 'answerApproval', id: prompt.id, decision: 'deny', message: 'The user stopped the task at its spend cap.' }), { text: 'Stop', className: 'deny-button' }),
		error,
	);
	return actions;
}

/** The command, content or diff; a diff's lines are coloured by their `- ` / `+ ` mark. */
function previewElement(kind: string, text: string): HTMLElement {
	const pre = el('pre', `approval-preview preview-${kind}`);
	const code = el('code');
	if (kind === 'diff') {
		for (const line of text.split('\n')) {
			code.append(el('span', line.startsWith('+ ') ? 'diff-add' : line.startsWith('- ') ? 'diff-del' : 'diff-gap', line));
		}
	} else {
		code.textContent = text;
	}
	pre.append(code);
	pre.tabIndex = 0;
	pre.setAttribute('aria-label', kind === 'command' ? 'Command' : kind === 'diff' ? 'Changes' : kind === 'content' ? 'File content' : 'Input');
	return pre;
}

function capitalize(text: string): string {
	return text.charAt(0).toUpperCase() + text.slice(1);
}
