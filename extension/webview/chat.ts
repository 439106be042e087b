/**
 * The chat webview's entry: builds the page, handles the host's messages in
 * one switch and sends the user's actions to the host. See messages.ts.
 * The same page shows an agent task's transcript when the body says
 * `data-kind="task"`: a task header, no message actions, and an input that
 * steers the task. With `data-kind="goal"` it is a new task's goal: the
 * chat's composer alone (@-mentions, attached files), whose Send starts the task.
 */
import '@vscode/codicons/dist/codicon.css';
import './chat.css';
import { imagesRefusedReason } from '../src/shared/imageRules';
import type { HostMessage } from '../src/shared/panelMessages';
import type { AgentTask, Session } from '../src/shared/protocol';
import type { TemplateLooks } from '../src/shared/settingsMessages';
import { isActive, statusLooks } from '../src/shared/taskStatus';
import { ApprovalCards } from './approvalCards';
import { Composer } from './composer';
import { el } from './dom';
import { GoalIntro } from './goalIntro';
import { Header } from './header';
import { MessagesView } from './messagesView';
import { PlanBar } from './planBar';
import { QueuedList } from './queuedList';
import { AutoApprovedList } from './autoApprovedList';
import { TaskHeader } from './taskHeader';
import { post, vscode } from './vscodeApi';

const isTask = document.body.dataset.kind === 'task';
const isGoal = document.body.dataset.kind === 'goal';
const header = isTask ? new TaskHeader() : new Header();
const errorBanner = el('div', 'error-banner');
errorBanner.setAttribute('role', 'alert');
errorBanner.hidden = true;
const list = el('main', 'messages');
list.setAttribute('role', 'log');
list.setAttribute('aria-label', isTask ? 'Task transcript' : 'Messages');
list.tabIndex = 0;
const messages = new MessagesView(list, !isTask);
const approvals = new ApprovalCards();
const composer = new Composer(isGoal ? () => undefined : text => messages.appendLocal(text), showError, isTask);
const goal = isGoal ? new GoalIntro(composer) : undefined;
const queued = new QueuedList(isTask);
const planBar = new PlanBar();
const autoApproved = new AutoApprovedList();
document.getElementById('app')?.append(...goal ? [goal.header, errorBanner, goal.intro] : [header.element, errorBanner, list, messages.jumpButton, planBar.element, approvals.element, queued.element, autoApproved.element], composer.element);

let session: Session | undefined;
let task: AgentTask | undefined;
let requestBusy = false;

function showError(text: string | undefined): void {
	errorBanner.textContent = text ?? '';
	errorBanner.hidden = text === undefined;
}

function setSession(value: Session, instanceName: string | undefined, looks: TemplateLooks | undefined, modeName: string | undefined, sandboxPolicy: string | undefined): void {
	session = value;
	if (header instanceof Header) {
		header.render(value, looks, sandboxPolicy);
	}
	composer.imagesRefused = imagesRefusedReason(value);
	composer.model = `${instanceName ?? 'Unknown instance'} · ${value.modelId}`;
	if (modeName) {
		composer.mode = modeName;
	}
	setBusy();
}

function setBusy(): void {
	messages.modelId = task?.modelId ?? session?.modelId;
	const busy = requestBusy || session?.status === 'active' || task?.status === 'running';
	messages.busy = busy;
	composer.busy = busy;
	showPlan();
	if (task) {
		composer.setEnabled(isActive(task), `The task is ${statusLooks[task.status].label.toLowerCase()}${task.status === 'completed' ? '' : ': resume it to steer it'}.`);
	}
}

/** The plan being carried out, kept in sight above the composer (chats only: a task has no plan card). */
function showPlan(): void {
	if (!isTask && !isGoal) {
		planBar.render(messages.latestPlan(), requestBusy || session?.status === 'active');
	}
}

function showTask(next: AgentTask, templateName: string | undefined, looks: TemplateLooks | undefined): void {
	task = next;
	if (header instanceof TaskHeader) {
		header.render(next, templateName, looks);
	}
	setBusy();
}

// Links are opened by the host, which checks them; the webview never navigates.
list.addEventListener('click', e => {
	const link = e.target instanceof Element ? e.target.closest('a[href]') : null;
	if (link) {
		e.preventDefault();
		post({ type: 'openLink', href: link.getAttribute('href') ?? '' });
	}
});

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
	const message = event.data;
	switch (message.type) {
		case 'init':
			vscode.setState({ sessionId: message.session.id });
			// The header first: its height decides where the end of the list is.
			setSession(message.session, message.instanceName, message.looks, message.modeName, message.sandboxPolicy);
			messages.setAll(message.messages, message.hasMore);
			showPlan();
			break;
		case 'earlier':
			messages.prepend(message.messages, message.hasMore);
			showPlan();
			break;
		case 'session':
			setSession(message.session, message.instanceName, message.looks, message.modeName, message.sandboxPolicy);
			break;
		case 'taskInit':
			vscode.setState({ sessionId: message.task.id });
			messages.setAll(message.messages, message.hasMore);
			showTask(message.task, message.templateName, message.looks);
			break;
		case 'task':
			showTask(message.task, message.templateName, message.looks);
			break;
		case 'message':
			messages.upsert(message.message);
			showPlan();
			break;
		case 'partDelta':
			messages.delta(message.messageId, message.partId, message.kind, message.delta);
			break;
		case 'busy':
			requestBusy = message.busy;
			setBusy();
			break;
		case 'error':
			showError(message.text);
			break;
		case 'queued':
			queued.render(message.queued);
			break;
		case 'autoApproved':
			autoApproved.render(message.rows);
			break;
		case 'mentionResults':
			composer.mentionResults(message.query, message.items);
			break;
		case 'promptResults':
			composer.promptResults(message.query, message.items);
			break;
		case 'promptText':
			composer.promptText(message.text);
			break;
		case 'focusComposer':
			composer.focus();
			break;
		case 'addAttachment':
			composer.addAttachment(message.attachment, message.mention);
			break;
		case 'approvals':
			approvals.render(message.approvals);
			break;
		case 'checkpoints':
			messages.setCheckpoints(message.checkpoints);
			break;
		case 'draft':
			composer.fill(message.text, []);
			break;
		case 'goalDraft':
			goal?.render(message.heading, message.imagesRefused);
			composer.fill(message.text, message.attachments);
			break;
	}
});

const sessionId = document.body.dataset.sessionId;
if (sessionId) {
	vscode.setState({ sessionId });
}
// A stylesheet that failed to load (seen after a reload, when the webview's resource host is not ready yet) leaves
// a page without styles: the host renders it again. The script's own failure is the host's to notice (no `ready`).
if (getComputedStyle(document.documentElement).getPropertyValue('--plue-styles').trim() !== 'loaded') {
	post({ type: 'assetsFailed' });
} else {
	post({ type: 'ready' });
}
// The composer takes the keyboard only from its own page: a page that loads late (a busy machine, a page rendered
// again) must not pull it from the workbench, which closed an open quick pick. Unfocused, it waits for the focus.
if (document.hasFocus()) {
	composer.focus();
} else {
	window.addEventListener('focus', () => {
		if (document.activeElement === document.body || document.activeElement === null) {
			composer.focus();
		}
	}, { once: true });
}
