import * as vscode from 'vscode';
import type { CancellationToken } from 'vscode-languageclient/node';
import type { PermissionRequestParams, PermissionRequestResult } from '../shared/protocol';
import { ApprovalDecision, ApprovalPrompt, ApprovalScope, describeApproval, noticeOf, type NoticeButton } from '../shared/approvalPrompt';
import { ApprovalDiffs } from './approvalDiffs';

/** What the user chose; `message` is told to the model (for a spend cap: the new cap in USD). */
export interface ApprovalAnswer extends PermissionRequestResult {
	decision: ApprovalDecision;
	scope?: ApprovalScope;
}

interface Waiting {
	prompt: ApprovalPrompt;
	/** The request as the sidecar sent it: Show Diff reads the write's or edit's text from it. */
	params: PermissionRequestParams;
	/** The notification: the whole question and its buttons. */
	notice: { message: string; buttons: NoticeButton[] };
	/** Whether its notification is on screen (a button closes it; Show Diff, or Escape in Deny's box, brings it back). */
	notified: boolean;
	settle(result: ApprovalAnswer): void;
}

/** What the approvals need from the rest of the extension. */
export interface ApprovalHost {
	/** Names who asks: `task "Write the parser"`, `chat "Refactor"`. */
	ownerName(params: PermissionRequestParams): Promise<string>;
	/** Hides secrets the extension knows of (the vault key, keys it sent). */
	mask(text: string): string;
	log: vscode.LogOutputChannel;
}

/**
 * Answers the sidecar's `permission/request`: each question is shown as a card
 * in its task's or chat's open panel and as a notification with buttons (Allow,
 * Deny…, Show Diff, Always…) that run `plue.approval.answer`. The first answer
 * wins; a notification's button pressed after that only says the question was
 * answered. A request the sidecar cancels (the task was interrupted) is withdrawn too.
 */
export class Approvals implements vscode.Disposable {
	private readonly _waiting = new Map<string, Waiting>();
	private readonly _onDidChange = new vscode.EventEmitter<void>();
	/** Fires when a question arrives or is answered or withdrawn. */
	readonly onDidChange = this._onDidChange.event;
	private _next = 0;
	private _diffs: ApprovalDiffs | undefined;

	constructor(private readonly _host: ApprovalHost) { }

	/** Every question waiting, oldest first. */
	get all(): ApprovalPrompt[] {
		return [...this._waiting.values()].map(w => w.prompt);
	}

	/** The questions a task or chat session is waiting on. */
	for(ownerId: string): ApprovalPrompt[] {
		return this.all.filter(prompt => prompt.taskId === ownerId || (!prompt.taskId && prompt.sessionId === ownerId));
	}

	get(id: string): ApprovalPrompt | undefined {
		return this._waiting.get(id)?.prompt;
	}

	/** Calls `show` with an owner's questions now and whenever they change (a panel's approval cards). */
	watch(ownerId: string, show: (prompts: ApprovalPrompt[]) => void): vscode.Disposable {
		show(this.for(ownerId));
		return this.onDidChange(() => show(this.for(ownerId)));
	}

	/** The notification of a question: its message and buttons. */
	notice(id: string): { message: string; buttons: NoticeButton[] } | undefined {
		return this._waiting.get(id)?.notice;
	}

	/** Shows a waiting question's notification again, unless it is on screen. */
	notifyAgain(id: string): void {
		const waiting = this._waiting.get(id);
		if (waiting && !waiting.notified) {
			this.notify(id);
		}
	}

	/** The `permission/request` handler: resolves with the first answer, or a denial when withdrawn. */
	async handle(params: PermissionRequestParams, token: CancellationToken): Promise<ApprovalAnswer> {
		const id = `approval-${++this._next}`;
		const owner = await this._host.ownerName(params).catch(() => 'a task');
		const prompt = describeApproval(id, params, owner, text => this._host.mask(text));
		if (token.isCancellationRequested) {
			return { decision: 'deny', message: 'The request was withdrawn before the user saw it.' };
		}
		return new Promise<ApprovalAnswer>(resolve => {
			let settled = false;
			const cancellation = token.onCancellationRequested(() => {
				this._host.log.info(`Approval ${id} (${prompt.tool} for ${owner}) withdrawn by the sidecar`);
				settle({ decision: 'deny', message: 'Withdrawn: the task was interrupted.' });
			});
			const settle = (result: ApprovalAnswer): void => {
				if (settled) {
					return;
				}
				settled = true;
				cancellation.dispose();
				this._waiting.delete(id);
				this._onDidChange.fire();
				resolve(result);
			};
			this._waiting.set(id, { prompt, params, notice: noticeOf(prompt), notified: false, settle });
			this.notify(id);
			this._onDidChange.fire();
		});
	}

	/** Opens a waiting write's or edit's change in the diff editor; false when the question is gone or shows no file change. */
	async showDiff(id: string): Promise<boolean> {
		const waiting = this._waiting.get(id);
		if (!waiting?.prompt.diffable) {
			return false;
		}
		this._diffs ??= new ApprovalDiffs();
		await this._diffs.show(waiting.params);
		return true;
	}

	/** Answers a question; false when it was already answered or withdrawn. */
	answer(id: string, answer: ApprovalAnswer): boolean {
		const waiting = this._waiting.get(id);
		if (!waiting) {
			return false;
		}
		this._host.log.info(`Approval ${id} (${waiting.prompt.tool} for ${waiting.prompt.owner}): ${answer.decision}${answer.scope ? ` (${answer.scope})` : ''}`);
		waiting.settle(answer);
		return true;
	}

	/** Drops a task's spend-cap question once the task is no longer paused (resumed or stopped elsewhere: the sidecar ignores a late answer). */
	withdrawSpendCap(taskId: string): void {
		for (const waiting of [...this._waiting.values()]) {
			if (waiting.prompt.taskId === taskId && waiting.prompt.spendCap) {
				waiting.settle({ decision: 'deny', message: 'The task was resumed or stopped meanwhile.' });
			}
		}
	}

	/** Drops every question, e.g. when the sidecar that asked them has stopped. */
	withdrawAll(message: string): void {
		for (const waiting of [...this._waiting.values()]) {
			waiting.settle({ decision: 'deny', message });
		}
	}

	dispose(): void {
		this.withdrawAll('VS Code closed the question.');
		this._diffs?.dispose();
		this._onDidChange.dispose();
	}

	/** Shows the notification; its button runs `plue.approval.answer` while the question still waits. */
	private notify(id: string): void {
		const waiting = this._waiting.get(id);
		if (!waiting) {
			return;
		}
		waiting.notified = true;
		const { message, buttons } = waiting.notice;
		void vscode.window.showInformationMessage(`Plue: ${message}`, ...buttons.map(b => b.label)).then(label => {
			waiting.notified = false;
			const choice = buttons.find(b => b.label === label)?.choice;
			if (choice && this._waiting.has(id)) {
				void vscode.commands.executeCommand('plue.approval.answer', id, choice);
			}
		});
	}
}
