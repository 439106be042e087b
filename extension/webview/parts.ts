import type { FilePart, HookPart, InstructionsPart, MessagePart, PlanPart, ReasoningPart, StepPart, SummaryPart, TextPart, ToolResultPart, ToolState, ToolUsePart } from '../src/shared/protocol';
import { describeCostSources, formatCost, formatTokens } from '../src/shared/format';
import { isAttachableImageType } from '../src/shared/imageRules';
import { button, el, icon } from './dom';
import { post } from './vscodeApi';
import { renderMarkdown } from './markdown';
import { toolTitle } from '../src/shared/approvalPrompt';

/**
 * One part's element. Text and reasoning keep a body element that streaming
 * re-renders (`update`) without touching the rest, so a reasoning block the
 * user opened stays open.
 */
export interface PartView {
	part: MessagePart;
	element: HTMLElement;
	update(): void;
	/** Says whether the part is still being written (reasoning's "Thinking…"). */
	setStreaming?(streaming: boolean): void;
}

/** The parts the sidecar streams text into (`session/partDelta`); the others arrive whole. */
export type StreamedPart = TextPart | ReasoningPart;

export function isStreamed(part: MessagePart): part is StreamedPart {
	return part.kind === 'text' || part.kind === 'reasoning';
}

/** `cutShort`: the message ended without finishing (stopped, interrupted, failed), so a tool still running never will. */
export function createPartView(part: MessagePart, streaming: boolean, cutShort = false): PartView {
	switch (part.kind) {
		case 'text':
			return part.command ? commandView(part) : markdownView(part, el('div', 'part part-text markdown'));
		case 'reasoning':
			return reasoningView(part, streaming);
		case 'file':
			return staticView(part, part.mimeType && isAttachableImageType(part.mimeType) ? imageElement(part) : fileElement(part));
		case 'tool_use':
			return staticView(part, toolElement(part, cutShort));
		case 'tool_result': {
			const result = part.sandboxDenials?.length || part.sandboxAllowed ? sandboxedResult(part, toolElement(part, cutShort)) : toolElement(part, cutShort);
			return staticView(part, part.unconfined ? unconfinedResult(part, result) : result);
		}
		case 'step':
			return staticView(part, stepElement(part));
		case 'instructions':
			return staticView(part, instructionsElement(part));
		case 'summary':
			return staticView(part, summaryElement(part));
		case 'plan':
			return staticView(part, planElement(part));
		case 'hook':
			return staticView(part, part.sandboxDenials?.length || part.sandboxAllowed ? sandboxedHook(part) : hookElement(part));
	}
}

/**
 * The plan a Plan-mode answer ended with: its steps, each ticked as the agent reports it done, and until it is
 * started, Start (an Agent-mode turn in this chat carries it out) and Start as a Task.
 */
export function planElement(part: PlanPart): HTMLElement {
	const items = part.items ?? [];
	const done = items.filter(i => i.done).length;
	const card = el('section', `part part-plan${part.startedMode ? ' plan-started' : ''}`);
	card.setAttribute('aria-label', 'Plan');
	const head = el('div', 'plan-head');
	head.append(icon('checklist'), el('span', 'plan-title', 'Plan'), el('span', 'plan-progress', part.startedMode ? `${done} of ${items.length} done` : `${items.length} steps`));
	const list = el('ol', 'plan-items');
	list.append(...items.map(item => {
		const row = el('li', `plan-item${item.done ? ' plan-item-done' : ''}`);
		row.append(icon(item.done ? 'pass-filled' : 'circle-large-outline'), el('span', 'plan-item-text', item.text));
		row.setAttribute('aria-label', `${item.text}${item.done ? ', done' : ''}`);
		return row;
	}));
	card.append(head, list);
	if (!part.startedMode) {
		// The message id is the card's message's, read when clicked (a streamed message gets its stored id later).
		const start = (asTask: boolean) => (): void => {
			const messageId = card.closest<HTMLElement>('[data-message-id]')?.dataset.messageId;
			if (messageId) {
				post({ type: 'startPlan', messageId, asTask });
			}
		};
		const actions = el('div', 'plan-actions');
		actions.append(
			button('play', 'Start: Agent mode carries the plan out in this chat', start(false), { text: 'Start', className: 'primary-button' }),
			button('rocket', 'Start as a task: run the plan as an agent task of its own', start(true), { text: 'Start as a Task', className: 'secondary-button' }),
		);
		card.append(actions);
	}
	return card;
}

function markdownView(part: TextPart, body: HTMLElement): PartView {
	const view = { part, element: body, update: () => renderMarkdown(body, view.part.text ?? '') };
	view.update();
	return view;
}

/** A message typed as a command from a file: "/name args", opening to what its front matter did to the turn, then the body that was sent. */
function commandView(part: TextPart): PartView {
	const command = part.command!;
	const wrapper = el('div', 'part-command');
	const details = el('details', 'part part-instructions');
	const summary = el('summary');
	summary.append(disclosure(), icon('zap'), el('span', undefined, `/${command.name}${command.arguments ? ` ${command.arguments}` : ''}`));
	summary.title = `A command from ${command.source}; the message below is its text, sent with the arguments put in`;
	const list = el('ul', 'instructions-files');
	list.append(el('li', undefined, command.source), ...(command.notes ?? []).map(note => el('li', undefined, note)));
	details.append(summary, list);
	const body = el('div', 'part part-text markdown');
	wrapper.append(details, body);
	const view = { part, element: wrapper, update: () => renderMarkdown(body, view.part.text ?? '') };
	view.update();
	return view;
}

function reasoningView(part: ReasoningPart, streaming: boolean): PartView {
	const details = el('details', 'part part-reasoning');
	const summary = el('summary');
	const label = el('span', undefined, streaming ? 'Thinking…' : 'Reasoning');
	summary.append(disclosure(), icon('lightbulb'), label);
	const body = el('div', 'reasoning-body markdown');
	details.append(summary, body);
	const view = {
		part,
		element: details,
		update: () => renderMarkdown(body, view.part.text ?? ''),
		setStreaming: (now: boolean) => { label.textContent = now ? 'Thinking…' : 'Reasoning'; },
	};
	view.update();
	return view;
}

function staticView(part: MessagePart, element: HTMLElement): PartView {
	return { part, element, update: () => undefined };
}

function fileElement(part: FilePart): HTMLElement {
	const details = el('details', 'part part-file');
	const summary = el('summary');
	const lines = part.range ? `:${part.range.startLine}-${part.range.endLine}` : '';
	// @url's page and @codebase's chunks say what they hold (the size, the words and each chunk's file and lines).
	const context = part.note ? (part.path?.startsWith('@codebase ') ? 'search' : 'globe') : undefined;
	summary.append(disclosure(), icon(context ?? (part.range ? 'selection' : 'file')), el('span', undefined, `${part.path ?? 'file'}${lines}`));
	if (part.note) {
		const note = el('span', 'part-file-note', part.note);
		note.title = part.note; // a long list of chunks is cut with an ellipsis
		summary.append(note);
	}
	const pre = el('pre');
	pre.append(el('code', undefined, part.content ?? ''));
	details.append(summary, pre);
	return details;
}

/** The instructions files the turn's system prompt carried: "Instructions (2)", opening to their names. */
function instructionsElement(part: InstructionsPart): HTMLElement {
	const files = part.files ?? [];
	const skipped = part.skipped ?? [];
	const details = el('details', 'part part-instructions');
	const summary = el('summary');
	summary.append(disclosure(), icon('book'), el('span', undefined, `Instructions (${files.length})${skipped.length > 0 ? `, ${skipped.length} not read` : ''}`));
	summary.title = 'Instructions files added to the system prompt; turn them off in the chat\'s settings (Use instructions files)';
	const list = el('ul', 'instructions-files');
	const reasons = part.reasons ?? {};
	list.append(...files.map(file => el('li', undefined, reasons[file] ? `${file}: ${reasons[file]}` : file)), ...skipped.map(why => {
		const item = el('li', 'instructions-skipped');
		item.append(icon('warning'), el('span', undefined, why));
		return item;
	}));
	details.append(summary, list);
	return details;
}

const hookHeadings: Record<string, string> = { blocked: 'blocked', warning: 'warning', timeout: 'stopped at its time limit', context: 'added context', sandbox: 'denied by the sandbox' };

/**
 * What an agent hook did: "PreToolUse hook blocked: <the hook's reason>", opening to all it said and the hook's
 * command; the command leads only when the hook gave no reason.
 */
function hookElement(part: HookPart): HTMLElement {
	const details = el('details', `part part-instructions part-hook hook-${part.outcome ?? 'warning'}`);
	const summary = el('summary');
	const heading = hookHeadings[part.outcome ?? ''] ?? part.outcome ?? '';
	const reason = (part.text ?? '').trim().split('\n')[0].trim();
	summary.append(disclosure(), icon(part.outcome === 'context' ? 'info' : 'warning'), el('span', undefined, `${part.event ?? 'Agent'} hook ${heading}: ${reason || part.command || ''}`));
	summary.title = 'An agent hook from a hooks file (.claude/settings.json, .codex/hooks.json); see Customizations';
	const pre = el('pre');
	pre.append(el('code', undefined, part.text ?? ''));
	details.append(summary, pre);
	if (part.command) {
		details.append(el('p', 'hook-command', `Hook: ${part.command}`));
	}
	return details;
}

/** An attached image, shown from its bytes (a data: URL: the panel loads no image from elsewhere). */
function imageElement(part: FilePart): HTMLElement {
	const figure = el('figure', 'part part-image');
	const image = el('img');
	image.alt = part.path ?? 'Attached image';
	image.src = `data:${part.mimeType ?? ''};base64,${part.content ?? ''}`;
	figure.append(image, el('figcaption', undefined, part.path ?? 'image'));
	return figure;
}

/** How a tool call looks: a refused or failed call never passes for a completed one. */
type ToolLook = ToolState | 'interrupted';
const toolLooks: Record<ToolLook, { icon: string; label: string }> = {
	pending: { icon: 'circle-outline', label: 'pending' },
	running: { icon: 'loading', label: 'running' },
	completed: { icon: 'check', label: 'completed' },
	error: { icon: 'error', label: 'failed' },
	denied: { icon: 'circle-slash', label: 'denied' },
	interrupted: { icon: 'debug-stop', label: 'interrupted' },
};

/** True for a tool call that has not ended: a message cut short shows it interrupted. */
export function isUnfinishedTool(part: MessagePart): boolean {
	return part.kind === 'tool_use' && (part.state === undefined || part.state === 'running' || part.state === 'pending');
}

function toolElement(part: ToolUsePart | ToolResultPart, cutShort: boolean): HTMLElement {
	const state: ToolLook = part.kind === 'tool_result' ? (part.isError ? 'error' : 'completed')
		: cutShort && isUnfinishedTool(part) ? 'interrupted' : part.state ?? 'pending';
	const look = toolLooks[state];
	const details = el('details', `part part-tool tool-${state}`);
	const summary = el('summary');
	const name = part.name ? toolTitle(part.name) : undefined;
	const title = part.kind === 'tool_result' ? `Result${name ? ` of ${name}` : ''}` : name ?? 'tool';
	summary.append(disclosure(), icon(look.icon, state === 'running'), el('span', 'tool-name', title));
	const approval = part.kind === 'tool_use' ? part.approval : undefined;
	if (approval && approval.source !== 'tool') {
		// Who let it through or stopped it, in a word; the whole rule on hover and in the card.
		const badge = el('span', `tool-approval tool-approval-${approval.decision}`, approvalWord(approval.source, approval.decision));
		badge.title = approval.rule;
		summary.append(badge);
	}
	summary.append(el('span', 'tool-state', look.label));
	summary.setAttribute('aria-label', `Tool ${title}: ${look.label}${approval ? `, ${approval.decision === 'deny' ? 'denied' : 'allowed'} by ${approval.rule}` : ''}`);
	details.append(summary);
	if (approval) {
		details.append(el('div', 'tool-label', 'Approval'), el('div', 'tool-rule', `${approval.decision === 'deny' ? 'Denied' : 'Allowed'}: ${approval.rule}`));
	}
	if (part.kind === 'tool_use' && part.input !== undefined) {
		details.append(el('div', 'tool-label', 'Input'), codeBlock(JSON.stringify(part.input, null, 2)));
	}
	if (part.kind === 'tool_result' && part.output !== undefined) {
		details.append(el('div', 'tool-label', 'Output'), codeBlock(part.output));
	}
	return details;
}

/**
 * A call the sandbox stopped: what it denied (a path written outside the workspace, a host reached), in sight without
 * opening the result, with "Allow this once" (that call runs again with it allowed) and "Always for this workspace"
 * (a grant, listed and revoked in Manage Tool Permissions). Once run again, it says how it was let through. A hosted
 * agent's call (the Claude Code CLI's, an ACP agent's: its result has no Plue tool name) is not run again: allowed, the
 * agent reaches the host from then on.
 */
export function sandboxedResult(part: ToolResultPart, result: HTMLElement): HTMLElement {
	const wrapper = el('div', 'part-sandboxed');
	const rerun = Boolean(part.name);
	// A result of no call: what the agent was refused outside its tool calls (at its start, between calls).
	wrapper.append(sandboxCard(part, part.toolCallId || rerun ? 'this call' : 'the agent outside its tool calls', rerun
		? { once: 'Allow this once: run this call again with what was denied allowed, for this call only', onceDone: 'Run again, allowed this once', alwaysDone: 'Run again, allowed always for this workspace' }
		: { once: 'Allow this once: the agent reaches it from now on, until it restarts', onceDone: 'Allowed for this agent until it restarts', alwaysDone: 'Allowed always for this workspace' }), result);
	return wrapper;
}

/** An agent hook the sandbox stopped: the same card as a call's, allowed for the next hooks that run here. */
function sandboxedHook(part: HookPart): HTMLElement {
	const wrapper = el('div', 'part-sandboxed');
	wrapper.append(sandboxCard(part, `the ${part.event ?? 'agent'} hook`, {
		once: 'Allow this once: the next hooks that run here get what was denied', onceDone: 'Allowed once, for the next hooks here', alwaysDone: 'Allowed always for this workspace',
	}), hookElement(part));
	return wrapper;
}

interface SandboxWords { once: string; onceDone: string; alwaysDone: string }

function sandboxCard(part: ToolResultPart | HookPart, what: string, words: SandboxWords): HTMLElement {
	const denials = part.sandboxDenials ?? [];
	// Once let through, it is no longer a warning: the border and icon say it passed.
	const card = el('section', denials.length ? 'part part-sandbox' : 'part part-sandbox sandbox-allowed');
	card.setAttribute('aria-label', denials.length ? 'Sandbox denied' : 'Sandbox allowed');
	const head = el('div', 'sandbox-head');
	// The policy's own name may hold parentheses ("Workspace write (home hidden, no network)"): it follows a colon.
	const policy = part.sandboxPolicy ? `: ${part.sandboxPolicy}` : '';
	head.append(icon(denials.length ? 'shield' : 'pass'), el('span', 'sandbox-title', denials.length
		? `The sandbox denied ${what}${policy}`
		: part.sandboxAllowed === 'workspace' ? words.alwaysDone : words.onceDone));
	card.append(head);
	if (denials.length) {
		const list = el('ul', 'sandbox-denials');
		list.append(...denials.map(d => el('li', undefined, d.kind === 'host' ? `Connecting to ${d.what}` : `Writing ${d.what} (outside the workspace)`)));
		const allow = (always: boolean) => (): void => {
			for (const b of card.querySelectorAll('button')) {
				b.disabled = true;
			}
			post({ type: 'allowSandbox', partId: part.id, always });
		};
		const actions = el('div', 'sandbox-actions');
		actions.append(
			button('check', words.once, allow(false), { text: 'Allow this once', className: 'primary-button' }),
			button('shield', 'Always for this workspace: allow it for every later call here (revoke it in Manage Tool Permissions)', allow(true), { text: 'Always for this workspace', className: 'secondary-button' }),
		);
		card.append(list, actions);
	}
	return card;
}

/**
 * The first command of a chat or task that ran with no sandbox although its policy asks for one (Windows, macOS for
 * now, bubblewrap missing or unable to start, as under Ubuntu's AppArmor restriction): said above its result, with
 * why and how to get isolation, and the exact commands where the system has a known narrow fix.
 */
export function unconfinedResult(part: ToolResultPart, result: HTMLElement): HTMLElement {
	const wrapper = el('div', 'part-sandboxed');
	const card = el('section', 'part part-sandbox part-unconfined');
	card.setAttribute('aria-label', 'Not sandboxed');
	const head = el('div', 'sandbox-head');
	head.append(icon('warning'), el('span', 'sandbox-title', 'This command ran without a sandbox, with your full access'));
	card.append(head, withCode(el('p', 'unconfined-why'), part.unconfined ?? ''));
	if (part.unconfinedFix) {
		card.append(el('p', 'unconfined-fix-intro', 'To sandbox commands here, run these commands in a terminal, then reload the window:'), codeBlock(part.unconfinedFix));
	}
	if (part.unconfinedContainer) {
		card.append(el('p', 'unconfined-container', part.unconfinedContainer));
	}
	card.append(el('p', 'unconfined-later', 'Later commands of this conversation run the same way without saying it again.'));
	wrapper.append(card, result);
	return wrapper;
}

/** The deciding rule's source in a word: "you" answered, a "grant", the "mode". */
function approvalWord(source: string, decision: string): string {
	const who = source === 'user' ? 'you' : source === 'mode' ? 'mode' : 'grant';
	return `${decision === 'deny' ? 'denied' : 'allowed'} by ${who}`;
}

/** `text` into `into` with its `backticked` spans as code, as the sidecar writes a command inside a sentence. */
function withCode(into: HTMLElement, text: string): HTMLElement {
	text.split('`').forEach((piece, i) => into.append(i % 2 === 1 ? el('code', undefined, piece) : piece));
	return into;
}

function codeBlock(text: string): HTMLElement {
	const pre = el('pre');
	pre.append(el('code', undefined, text));
	return pre;
}

/** A compaction's summary: what later turns send instead of the messages above it (which stay shown), closed until asked. */
function summaryElement(part: SummaryPart): HTMLElement {
	const details = el('details', 'part part-summary');
	const summary = el('summary');
	const stands = part.messages ? ` (${part.messages} message${part.messages === 1 ? '' : 's'})` : '';
	const label = `Conversation compacted${stands}${part.focus ? `, focused on ${part.focus}` : ''}: the model now reads this summary instead`;
	summary.append(disclosure(), icon('fold'), el('span', undefined, label));
	const body = el('div', 'summary-body markdown');
	renderMarkdown(body, part.text ?? '');
	details.append(summary, body);
	return details;
}

function stepElement(part: StepPart): HTMLElement {
	const element = el('div', 'part part-step', stepText(part));
	element.title = describeCostSources(part.costSource ? [part.costSource] : []);
	if (!part.truncation) {
		return element;
	}
	// The server dropped the start of the prompt without an error: said where the answer is, with what to change.
	const step = el('div', 'part-step-with-notice');
	const notice = el('div', 'part part-notice');
	notice.setAttribute('role', 'note');
	notice.append(icon('warning'), el('span', 'notice-text', part.truncation.message));
	step.append(notice, element);
	return step;
}

function stepText(part: StepPart): string {
	const bits = [part.model];
	if (part.usage) {
		const about = part.usage.estimated ? '~' : '';
		bits.push(`${about}${formatTokens(part.usage.input)} in · ${about}${formatTokens(part.usage.output)} out`);
	}
	// A cost the sidecar does not know comes as null: shown as unknown, never as $0.
	bits.push(formatCost(part.costUsd, part.costSource ? [part.costSource] : []));
	if (part.latencyMs !== undefined) {
		bits.push(`${(part.latencyMs / 1000).toFixed(1)} s`);
	}
	return bits.filter(Boolean).join(' · ');
}

/** The chevron of a collapsible part (CSS turns it when open; a flex <summary> has no marker of its own). */
function disclosure(): HTMLElement {
	const chevron = icon('chevron-right');
	chevron.classList.add('disclosure');
	return chevron;
}
