import type { AgentTask } from '../src/shared/protocol';
import { describeCostSources, formatCost, formatTaskCost, formatElapsed, isCostUnknown } from '../src/shared/format';
import { isActive, isClockRunning, isResumable, statusLooks } from '../src/shared/taskStatus';
import { containerLimits, containerLines, containerNetwork, containerState } from '../src/shared/taskContainer';
import { button, el, icon } from './dom';
import type { TemplateLooks } from '../src/shared/settingsMessages';
import { fallbackIcon, templateIcon } from './settings/looks';
import { post } from './vscodeApi';

/** A task panel's header: title, status, template, model, total cost, elapsed time; Interrupt or Resume. */
export class TaskHeader {
	readonly element = el('header', 'chat-header task-header');
	private readonly _title = el('h1', 'chat-title', 'Task');
	private _icon: HTMLElement = templateIcon({}, 'tasklist');
	private readonly _status = el('span', 'task-status');
	private readonly _facts = el('div', 'chat-usage task-facts');
	private readonly _template = el('span', 'task-template');
	private readonly _model = el('span', 'task-model');
	private readonly _cost = el('span', 'chat-cost');
	private readonly _elapsed = el('span', 'task-elapsed');
	private readonly _turns = el('span', 'task-turns');
	private readonly _interrupt = button('debug-stop', 'Interrupt the task and its sub-tasks', () => post({ type: 'interrupt' }), { text: 'Interrupt', className: 'stop-button' });
	private readonly _resume = button('debug-continue', 'Resume the task', () => post({ type: 'resume' }), { text: 'Resume', className: 'primary-button' });
	private readonly _reason = el('div', 'task-reason');
	/** Where the task runs when it is a container: engine, image, container, limits, network, state. */
	private readonly _place = el('div', 'task-place');
	private _ticker: number | undefined;

	constructor() {
		this._status.setAttribute('role', 'status');
		this._facts.append(this._template, this._model, this._cost, this._elapsed, this._turns);
		const row = el('div', 'task-header-row');
		row.append(this._icon, this._title, this._status, this._facts, this._interrupt, this._resume);
		this.element.append(row, this._place, this._reason);
		this._interrupt.hidden = true;
		this._resume.hidden = true;
		this._reason.hidden = true;
		this._place.hidden = true;
	}

	render(task: AgentTask, templateName: string | undefined, looks: TemplateLooks = {}): void {
		const templateLook = templateIcon(looks, fallbackIcon(task.templateId));
		this._icon.replaceWith(templateLook);
		this._icon = templateLook;
		const look = statusLooks[task.status];
		const [iconName, spin] = look.icon.endsWith('~spin') ? [look.icon.slice(0, -5), true] : [look.icon, false];
		this._title.textContent = task.title || task.slug;
		this._title.title = task.goal;
		this._status.className = `task-status status-${task.status}`;
		this._status.replaceChildren(icon(iconName, spin), el('span', undefined, look.label));
		this._template.textContent = templateName ?? task.templateId;
		this._model.textContent = task.modelId;
		this._model.title = `${task.instanceId} · ${task.modelId}`;
		// The subtree's total: a sub-task's spend is this task's spend too.
		this._cost.textContent = formatTaskCost(task);
		this._cost.classList.toggle('cost-unknown', isCostUnknown(task.totalCostUsd) || task.spendCapWarning !== undefined);
		this._cost.title = [
			`Total with sub-tasks; this task alone: ${formatCost(task.costUsd, task.costSources)}${task.spendCapUsd !== undefined ? `; spend cap $${task.spendCapUsd.toFixed(2)}` : ''}`,
			describeCostSources(task.totalCostSources),
			task.spendCapWarning,
		].filter(Boolean).join('\n');
		this._turns.textContent = `turn ${task.turns}/${task.maxTurns}${task.childCount ? ` · ${task.childCount} sub-task${task.childCount === 1 ? '' : 's'}` : ''}`;
		this._interrupt.hidden = !isActive(task);
		this._resume.hidden = !isResumable(task);
		this._resume.querySelector('.button-text')?.replaceChildren(task.status === 'paused' ? 'Raise cap and resume' : 'Resume');
		this._reason.hidden = !task.statusReason;
		this._reason.textContent = task.statusReason ?? '';
		this._reason.classList.toggle('task-reason-error', task.status === 'failed');
		this.renderPlace(task);
		this.tick(task);
	}

	private renderPlace(task: AgentTask): void {
		const c = task.container;
		this._place.hidden = !c;
		if (!c) {
			this._place.replaceChildren();
			return;
		}
		const limits = containerLimits(c);
		// A failure's words stay in the text colour (the error colour is too faint on a light theme); its icon marks it.
		const state = el('span', `task-place-state state-${c.state}`);
		state.append(...(c.state === 'failed' ? [icon('error')] : []), containerState(c));
		// A swarm job: its node in place of a container here, its network its node's, and that the swarm holds its key.
		const parts = c.swarm ? [
			el('span', 'task-place-engine', `Job on the swarm ${c.engine}`),
			c.node ? el('span', 'task-place-node', `node ${c.node}`) : undefined,
			el('span', 'task-place-image', c.image),
			limits ? el('span', 'task-place-limits', limits) : undefined,
			el('span', 'task-place-key', 'the swarm holds its provider key while its job runs'),
			c.retried ? el('span', 'task-place-retried', c.retried) : undefined,
			state,
		] : [
			el('span', 'task-place-engine', `Container on ${c.engine}`),
			el('span', 'task-place-image', c.image),
			c.shortId ? el('span', 'task-place-id', c.shortId) : undefined,
			limits ? el('span', 'task-place-limits', limits) : undefined,
			el('span', 'task-place-network', containerNetwork(c)),
			state,
		];
		this._place.replaceChildren(icon(c.swarm ? 'server-environment' : 'vm'), ...parts.filter((part): part is HTMLElement => part !== undefined));
		this._place.title = containerLines(task).join('\n');
		this._place.setAttribute('aria-label', containerLines(task).join('. '));
	}

	/** A running task's elapsed time moves on between updates: count it here, from when this copy arrived (the host sends it as of then). */
	private tick(task: AgentTask): void {
		window.clearInterval(this._ticker);
		const since = Date.now();
		const show = (): void => {
			this._elapsed.textContent = formatElapsed(task.elapsedMs + (isClockRunning(task) ? Date.now() - since : 0));
		};
		show();
		this._ticker = isClockRunning(task) ? window.setInterval(show, 1000) : undefined;
	}
}
