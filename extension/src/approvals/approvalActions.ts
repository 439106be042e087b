import * as vscode from 'vscode';
import type { AgentTask } from '../shared/protocol';
import { everywhereLabel, hostLabel, narrowAnswer, narrowestAnswer, narrowLabel, ownerKind, type ApprovalChoice, type ApprovalPrompt } from '../shared/approvalPrompt';
import type { WebviewMessage } from '../shared/panelMessages';
import type { ApprovalAnswer, Approvals } from './approvals';

/** What answering from a notification or a quick pick needs: the questions, and a way to open the panel of who asks. */
export interface ApprovalDeps {
	approvals: Approvals;
	/** Opens the panel of the task or chat that asks. */
	showOwner(prompt: ApprovalPrompt): void;
}

/** An approval card's answer from a panel; false when another place answered first. */
export function answerFromPanel(approvals: Approvals, message: Extract<WebviewMessage, { type: 'answerApproval' }>): boolean {
	const answer: ApprovalAnswer = { decision: message.decision };
	if (message.scope) {
		answer.scope = message.scope;
	}
	if (message.message?.trim()) {
		answer.message = message.message.trim();
	}
	if (message.decision === 'allowAlways' && message.commandPrefix) {
		answer.commandPrefix = message.commandPrefix;
	}
	if (message.decision === 'allowAlways' && message.pathGlob) {
		answer.pathGlob = message.pathGlob;
	}
	if (message.decision === 'allowAlways' && message.host) {
		answer.host = message.host;
	}
	return approvals.answer(message.id, answer);
}

/**
 * `plue.approval.answer [id, choice]`: what the notification's buttons run.
 * Deny asks for an optional message to the agent, Raise cap for the new cap;
 * Escape in either leaves the question waiting. Returns whether it answered.
 */
export async function answerChoice(deps: ApprovalDeps, id: string, choice: ApprovalChoice): Promise<boolean> {
	const prompt = deps.approvals.get(id);
	if (!prompt) {
		void vscode.window.showInformationMessage('Plue: that question was already answered or withdrawn.');
		return false;
	}
	if (choice === 'show') {
		deps.showOwner(prompt);
		return false;
	}
	if (choice === 'showDiff') {
		// The notification closed with its button: it comes back beside the diff, still asking.
		await deps.approvals.showDiff(id);
		deps.approvals.notifyAgain(id);
		return false;
	}
	const scope = choice === 'always' ? await pickAlways(prompt) : choice;
	if (!scope) {
		deps.approvals.notifyAgain(id);
		return false;
	}
	const answer = await answerFor(prompt, scope);
	if (!answer) {
		// Escape in Deny's or Raise cap's box: the question still waits, and so does its notification.
		deps.approvals.notifyAgain(id);
		return false;
	}
	return deps.approvals.answer(id, answer);
}

/**
 * `plue.approveTask`: answers a task's question (the tree's Approve, or a pick
 * among every question waiting) through quick picks. Returns whether it answered.
 */
export async function approveTask(deps: ApprovalDeps, task: AgentTask | undefined): Promise<boolean> {
	const waiting = task ? deps.approvals.for(task.id) : deps.approvals.all;
	if (waiting.length === 0) {
		const message = task?.status === 'waiting-approval'
			? `Plue: "${task.title}" waits for an approval this window was not asked (another VS Code window or the command line may be asking).`
			: 'Plue: nothing is waiting for your approval.';
		void vscode.window.showInformationMessage(message);
		return false;
	}
	const prompt = waiting.length === 1 ? waiting[0] : (await vscode.window.showQuickPick(
		waiting.map(p => ({ label: p.title, description: p.owner, detail: p.reason, prompt: p })),
		{ title: 'Approve', placeHolder: 'Pick the question to answer' },
	))?.prompt;
	if (!prompt) {
		return false;
	}
	const choices: { label: string; description?: string; choice: ApprovalChoice }[] = prompt.spendCap
		? [{ label: '$(arrow-up) Raise cap…', description: 'and continue', choice: 'raiseCap' }, { label: '$(debug-stop) Stop', description: 'the task stays paused', choice: 'stop' }]
		: [
			{ label: '$(check) Allow', description: 'this once', choice: 'allow' },
			...(prompt.narrow ? [{ label: `$(workspace-trusted) ${narrowLabel(prompt)}`, description: 'and ask for anything else', choice: 'allowAlwaysNarrow' as const }] : []),
			...(ownerKind(prompt) ? [{ label: `$(check-all) Allow always for this ${ownerKind(prompt)}`, description: `every ${prompt.tool} call of this ${ownerKind(prompt)}`, choice: 'allowAlwaysTask' as const }] : []),
			{ label: '$(workspace-trusted) Allow always in this workspace', description: `every ${prompt.tool} call here`, choice: 'allowAlwaysWorkspace' },
			...(hostLabel(prompt) ? [{ label: `$(globe) ${hostLabel(prompt)}`, description: 'and ask for any other host', choice: 'allowAlwaysHost' as const }] : []),
			{ label: `$(globe) ${everywhereLabel(prompt)}`, description: 'in every workspace', choice: 'allowAlwaysEverywhere' },
			{ label: '$(close) Deny…', description: 'with an optional message to the agent', choice: 'deny' },
		];
	const picked = await vscode.window.showQuickPick([...choices, { label: '$(go-to-file) Show', description: 'open its panel', choice: 'show' as const }], {
		title: `${prompt.owner}: ${prompt.title}`,
		placeHolder: prompt.reason ?? previewLine(prompt),
		ignoreFocusOut: true,
	});
	return picked ? answerChoice(deps, prompt.id, picked.choice) : false;
}

/** Asks for a new spend cap in USD, above what was spent; undefined when cancelled. */
export async function askSpendCap(spentUsd: number | null | undefined, capUsd: number | null | undefined, title: string): Promise<number | undefined> {
	const floor = Math.max(spentUsd ?? 0, capUsd ?? 0);
	const suggested = floor > 0 ? Math.ceil(floor * 2 * 100) / 100 : 2;
	const value = await vscode.window.showInputBox({
		title,
		prompt: `The new spend cap in US dollars, for the task and its sub-tasks${spentUsd !== null && spentUsd !== undefined ? ` (spent so far: $${spentUsd.toFixed(2)})` : ''}.`,
		value: String(suggested),
		// A task panel that opens or updates meanwhile must not take the question away.
		ignoreFocusOut: true,
		validateInput: text => {
			const cap = Number(text.trim());
			if (text.trim() === '' || !Number.isFinite(cap)) {
				return 'Type an amount in dollars, such as 5 or 2.50';
			}
			return cap <= floor ? `The new cap must be above $${floor.toFixed(2)}` : undefined;
		},
	});
	return value === undefined ? undefined : Number(value.trim());
}

/** The allow-always scopes, asked after the notification's Always…; undefined when the user went back. */
async function pickAlways(prompt: ApprovalPrompt): Promise<'allowAlwaysTask' | 'allowAlwaysWorkspace' | 'allowAlwaysNarrow' | 'allowAlwaysHost' | 'allowAlwaysEverywhere' | undefined> {
	const kind = ownerKind(prompt);
	const items = [
		...(prompt.narrow ? [{ label: narrowLabel(prompt) ?? '', description: `${prompt.tool}, only ${prompt.narrow.kind === 'prefix' ? 'commands starting with these words' : 'paths matching this glob'}`, choice: 'allowAlwaysNarrow' as const }] : []),
		...(kind ? [{ label: `Always for this ${kind}`, description: `${prompt.tool}, until the ${kind} ends`, choice: 'allowAlwaysTask' as const }] : []),
		{ label: 'Always in this workspace', description: `${prompt.tool}, until reset in Manage Tool Permissions`, choice: 'allowAlwaysWorkspace' as const },
		...(hostLabel(prompt) ? [{ label: hostLabel(prompt) ?? '', description: `${prompt.tool}, only to that host`, choice: 'allowAlwaysHost' as const }] : []),
		{ label: everywhereLabel(prompt), description: 'in every workspace, until reset in Manage Tool Permissions', choice: 'allowAlwaysEverywhere' as const },
	];
	return (await vscode.window.showQuickPick(items, { title: `Allow always: ${prompt.title}`, placeHolder: 'How long to allow it without asking' }))?.choice;
}

async function answerFor(prompt: ApprovalPrompt, choice: Exclude<ApprovalChoice, 'show' | 'showDiff' | 'always'>): Promise<ApprovalAnswer | undefined> {
	switch (choice) {
		case 'allow':
			return { decision: 'allow' };
		case 'allowAlwaysTask':
			return { decision: 'allowAlways', scope: 'task' };
		case 'allowAlwaysWorkspace':
			return { decision: 'allowAlways', scope: 'workspace' };
		case 'allowAlwaysNarrow':
			return prompt.narrow ? { decision: 'allowAlways', scope: 'workspace', ...narrowAnswer(prompt.narrow) } : undefined;
		case 'allowAlwaysHost':
			return prompt.host ? { decision: 'allowAlways', scope: 'workspace', ...narrowestAnswer(prompt) } : undefined;
		case 'allowAlwaysEverywhere':
			return { decision: 'allowAlways', scope: 'everywhere', ...narrowestAnswer(prompt) };
		case 'stop':
			return { decision: 'deny', message: 'The user stopped the task at its spend cap.' };
		case 'raiseCap': {
			const cap = await askSpendCap(prompt.spendCap?.spentUsd, prompt.spendCap?.capUsd, `Raise the spend cap of ${prompt.owner}`);
			return cap === undefined ? undefined : { decision: 'allow', message: String(cap) };
		}
		case 'deny': {
			const message = await vscode.window.showInputBox({
				title: `Deny: ${prompt.title}`,
				prompt: 'Optionally tell the agent why, or what to do instead. Enter denies; Escape goes back.',
				placeHolder: 'e.g. do not touch the generated files',
				ignoreFocusOut: true,
			});
			return message === undefined ? undefined : message.trim() ? { decision: 'deny', message: message.trim() } : { decision: 'deny' };
		}
	}
}

function previewLine(prompt: ApprovalPrompt): string {
	return prompt.preview?.text.split('\n')[0] ?? 'Choose an answer';
}
