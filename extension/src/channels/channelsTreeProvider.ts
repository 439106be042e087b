import * as vscode from 'vscode';
import type { ChatSessions } from '../chat/chatSessions';
import { formatCost } from '../shared/format';
import type { AgentTask, Session } from '../shared/protocol';
import type { AgentTasks } from '../tasks/agentTasks';
import type { Approvals } from '../approvals/approvals';
import { isClockRunning } from '../shared/taskStatus';
import type { RecordTags } from './recordTags';
import { taskItem } from './taskItem';
import type { TemplateLooks, TreeLooks } from './templateLooks';

/** A node of the Channels tree: a folder, a chat session under "User Chats", or a task under "Agent Tasks" or its parent task. */
export interface ChannelNode {
	id: string;
	label: string;
	icon: string;
	children: ChannelNode[];
	/** Set on a chat node. */
	session?: Session;
	/** Set on a task node. */
	task?: AgentTask;
	/** Set on the last row of a long folder: the folder whose next rows it shows when clicked. */
	more?: ChannelNode;
}

/** How many chats or tasks a folder shows at first, and how many more each "Show more" adds. */
export const channelsPageSize = 200;

/**
 * How often the elapsed time of running tasks is redrawn. Seldom enough that a row's tooltip can be read: redrawing a
 * row closes its hover, and one opening on a loaded machine took longer than a 2 s tick.
 */
const tickMs = 5000;

/**
 * The `plue.channels` view: "User Chats" (sessions, newest first) and "Agent
 * Tasks" (tasks the user started, newest first, each with its sub-tasks below
 * it), live through their stores (`codex/changed` carries each record's view). A task whose cost or
 * clock moves redraws only its own row (a whole-tree refresh under the mouse
 * can swallow a click); a new task or a new status redraws the tree. A row shows its record's tags; with a tag
 * filter (`filterTag`) each folder lists only the chats and tasks, at any depth, that carry it.
 */
export class ChannelsTreeProvider implements vscode.TreeDataProvider<ChannelNode> {
	private readonly _onDidChangeTreeData = new vscode.EventEmitter<ChannelNode | ChannelNode[] | undefined>();
	readonly onDidChangeTreeData = this._onDidChangeTreeData.event;
	private readonly _subscriptions: vscode.Disposable[];
	private _ticker: NodeJS.Timeout | undefined;
	/** One node per task, kept so a row can be redrawn on its own. */
	private readonly _taskNodes = new Map<string, ChannelNode>();

	private readonly _userChats: ChannelNode = { id: 'userChats', label: 'User Chats', icon: 'comment-discussion', children: [] };
	private readonly _agentTasks: ChannelNode = { id: 'agentTasks', label: 'Agent Tasks', icon: 'robot', children: [] };
	private readonly _roots: ChannelNode[] = [this._userChats, this._agentTasks];
	/** How many rows each long folder shows now (User Chats, Agent Tasks): a page more each time its last row is clicked. */
	private readonly _shown = new Map<ChannelNode, number>();
	/** The tag the view is filtered by; undefined: everything. */
	private _tag: string | undefined;

	/** `instanceName`: an instance's display name, for a chat's tooltip (users see names, not ids). */
	constructor(private readonly _sessions: ChatSessions, private readonly _tasks: AgentTasks, private readonly _approvals: Approvals,
		private readonly _instanceName: (id: string) => Promise<string>, private readonly _tags: RecordTags, private readonly _looks?: TemplateLooks) {
		this._subscriptions = [
			_tags.onDidChange(() => this.refresh()),
			...(_looks ? [_looks.onDidChange(() => this.refresh())] : []),
			_sessions.onDidChange(() => this.refresh()),
			_tasks.onDidReset(() => this.refresh()),
			_tasks.onDidChangeTask(task => this.taskChanged(task)),
			_approvals.onDidChange(() => this.refresh()),
			vscode.commands.registerCommand('plue.channels.showMore', (folderId?: string) => this.showMore(folderId)),
		];
	}

	getTreeItem(node: ChannelNode): vscode.TreeItem {
		if (node.more) {
			const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
			item.id = node.id;
			item.iconPath = new vscode.ThemeIcon(node.icon);
			item.command = { command: 'plue.channels.showMore', title: node.label, arguments: [node.more.id] };
			return item;
		}
		if (node.task) {
			// A task that may spawn opens from the start, so its sub-tasks show up as they are spawned.
			const mayHaveChildren = node.task.childCount > 0 || node.task.availableTools.includes('spawn_task') || this._tasks.children(node.task.id).length > 0;
			// The status icon stays: a task's template shows as its emoji before the description.
			const item = taskItem(node.task, mayHaveChildren && !this._tag, this._tasks.elapsedMs(node.task), this._approvals.for(node.task.id).length, this._looks?.get(node.task.templateId).name);
			return withTags(withTemplateLooks(item, this._looks?.get(node.task.templateId), false), this._tags.of(node.task.id));
		}
		// A chat is an ai-chat record (a user's override of that template keeps its id).
		return node.session
			? withTags(withTemplateLooks(sessionItem(node.session), this._looks?.get('ai-chat'), node.session.status === 'idle'), this._tags.of(node.session.id))
			: folderItem(node, node === this._agentTasks ? this.tasksSummary() : undefined);
	}

	/** A chat's tooltip names its instance, which takes a look-up: done on hover only. */
	async resolveTreeItem(item: vscode.TreeItem, node: ChannelNode): Promise<vscode.TreeItem> {
		if (node.session && !node.session.unreadable) {
			item.tooltip = sessionTooltip(node.session, await this._instanceName(node.session.instanceId));
		}
		return item;
	}

	getChildren(node?: ChannelNode): ChannelNode[] {
		if (!node) {
			// Nothing yet: no folders, so the view's welcome says what to do next.
			return this._sessions.all.length === 0 && this._tasks.roots.length === 0 ? [] : this._roots;
		}
		const tagged = (id: string): boolean => !this._tag || this._tags.of(id).includes(this._tag);
		if (node === this._userChats) {
			node.children = this.page(node, this._sessions.all.filter(s => tagged(s.id)), sessionNode, 'chats');
		} else if (node === this._agentTasks) {
			const tasks = this._tag ? this._tasks.all.filter(t => tagged(t.id)).sort((a, b) => b.createdAt.localeCompare(a.createdAt)) : this._tasks.roots;
			node.children = this.page(node, tasks, task => this.taskNode(task), 'tasks');
		} else if (node.task && !this._tag) {
			node.children = this._tasks.children(node.task.id).map(task => this.taskNode(task));
		}
		return node.children;
	}

	/** The rows of a long folder shown so far, and a last row that shows the next page when there are more. */
	private page<T>(folder: ChannelNode, items: T[], toNode: (item: T) => ChannelNode, what: string): ChannelNode[] {
		const shown = this._shown.get(folder) ?? channelsPageSize;
		const nodes = items.slice(0, shown).map(toNode);
		const rest = items.length - shown;
		if (rest > 0) {
			nodes.push({ id: `more:${folder.id}`, label: `Show ${Math.min(rest, channelsPageSize)} more of ${rest} older ${what}`, icon: 'ellipsis', children: [], more: folder });
		}
		return nodes;
	}

	/** Shows the next page of the folder `folderId` (User Chats or Agent Tasks). */
	showMore(folderId?: string): void {
		const folder = this._roots.find(root => root.id === folderId);
		if (folder) {
			this._shown.set(folder, (this._shown.get(folder) ?? channelsPageSize) + channelsPageSize);
			this._onDidChangeTreeData.fire(folder);
		}
	}

	get tag(): string | undefined {
		return this._tag;
	}

	/** Lists only the chats and tasks tagged `tag` (undefined: all of them). */
	filterTag(tag: string | undefined): void {
		this._tag = tag;
		this.refresh();
	}

	refresh(): void {
		this._onDidChangeTreeData.fire(undefined);
		this.tick();
	}

	dispose(): void {
		clearInterval(this._ticker);
		for (const d of [...this._subscriptions, this._onDidChangeTreeData]) {
			d.dispose();
		}
	}

	private taskNode(task: AgentTask): ChannelNode {
		const node = this._taskNodes.get(task.id) ?? { id: `task:${task.id}`, label: '', icon: 'robot', children: [] };
		node.task = task;
		node.label = task.title || task.slug;
		this._taskNodes.set(task.id, node);
		return node;
	}

	private taskChanged(task: AgentTask): void {
		const node = this._taskNodes.get(task.id);
		const before = node?.task;
		if (!node || !before || before.status !== task.status || before.parentId !== task.parentId || before.title !== task.title) {
			this.refresh();
			return;
		}
		node.task = task;
		this._onDidChangeTreeData.fire(node);
	}

	/** While a task's clock runs its elapsed time moves on between updates: redraw those rows now and then. */
	private tick(): void {
		const running = this._tasks.all.some(isClockRunning);
		if (running && !this._ticker) {
			this._ticker = setInterval(() => {
				const nodes = this._tasks.all.filter(isClockRunning).map(task => this._taskNodes.get(task.id)).filter((n): n is ChannelNode => n !== undefined);
				if (nodes.length > 0) {
					this._onDidChangeTreeData.fire(nodes);
				}
			}, tickMs);
		} else if (!running && this._ticker) {
			clearInterval(this._ticker);
			this._ticker = undefined;
		}
	}

	private tasksSummary(): string | undefined {
		const running = this._tasks.all.filter(task => task.status === 'running').length;
		const waiting = this._tasks.all.filter(task => task.status === 'waiting-approval').length;
		return [running ? `${running} running` : undefined, waiting ? `${waiting} waiting` : undefined].filter(Boolean).join(' · ') || undefined;
	}
}

export function sessionNode(session: Session): ChannelNode {
	return { id: `session:${session.id}`, label: session.title || session.slug, icon: sessionIcon(session), children: [], session };
}

function sessionIcon(session: Session): string {
	switch (session.status) {
		case 'active': return 'loading~spin';
		case 'archived': return 'archive';
		case 'idle': return 'comment';
	}
}

/** A template's `metadata.icon` on a row: a codicon replaces the row's resting icon (`iconReplaced`), an emoji leads its description. */
function withTemplateLooks(item: vscode.TreeItem, looks: TreeLooks | undefined, iconReplaced: boolean): vscode.TreeItem {
	if (looks?.codicon && iconReplaced) {
		item.iconPath = new vscode.ThemeIcon(looks.codicon);
	}
	if (looks?.emoji) {
		item.description = `${looks.emoji} ${typeof item.description === 'string' ? item.description : ''}`.trim();
	}
	return item;
}

/** A record's tags after the row's description: `#agent #docs`. */
function withTags(item: vscode.TreeItem, tags: string[]): vscode.TreeItem {
	if (tags.length > 0) {
		item.description = `${typeof item.description === 'string' ? item.description : ''} ${tags.map(t => `#${t}`).join(' ')}`.trim();
	}
	return item;
}

function folderItem(node: ChannelNode, description?: string): vscode.TreeItem {
	const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
	item.id = node.id;
	item.description = description;
	item.iconPath = new vscode.ThemeIcon(node.icon);
	item.contextValue = `plue.folder.${node.id}`;
	return item;
}

export function sessionTooltip(session: Session, instanceName: string | undefined): string {
	const model = instanceName ? `${instanceName} · ${session.modelId}` : session.modelId;
	return `${session.title || session.slug}\n${model}\n${session.messageCount} messages · ${formatCost(session.costUsd, session.costSources)}`;
}

function sessionItem(session: Session): vscode.TreeItem {
	const item = new vscode.TreeItem(session.title || session.slug, vscode.TreeItemCollapsibleState.None);
	item.id = `session:${session.id}`;
	item.iconPath = new vscode.ThemeIcon(sessionIcon(session));
	item.description = session.unreadable ? `unreadable · ${session.id}` : session.modelId;
	item.tooltip = session.unreadable ?? sessionTooltip(session, undefined);
	item.contextValue = session.status === 'archived' ? 'plue.chat.archived' : 'plue.chat';
	item.command = { command: 'plue.chat.open', title: 'Open Chat', arguments: [session.id] };
	return item;
}
