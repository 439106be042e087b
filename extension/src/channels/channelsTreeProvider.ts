import * as vscode from 'vscode';
import type { ChatSessions } from '../chat/chatSessions';
import { formatCost } from '../chat/format';
import type { Session } from '../protocol';

/** A node of the Channels tree: a folder, or a chat session under "User Chats". */
export interface ChannelNode {
	id: string;
	label: string;
	icon: string;
	children: ChannelNode[];
	/** Set on a chat node. */
	session?: Session;
}

/** The `plue.channels` view: the "User Chats" (sessions, newest first) and "Agent Tasks" folders. */
export class ChannelsTreeProvider implements vscode.TreeDataProvider<ChannelNode> {
	private readonly _onDidChangeTreeData = new vscode.EventEmitter<ChannelNode | undefined>();
	readonly onDidChangeTreeData = this._onDidChangeTreeData.event;
	private readonly _subscription: vscode.Disposable;

	private readonly _userChats: ChannelNode = { id: 'userChats', label: 'User Chats', icon: 'comment-discussion', children: [] };
	private readonly _roots: ChannelNode[] = [
		this._userChats,
		{ id: 'agentTasks', label: 'Agent Tasks', icon: 'robot', children: [] },
	];

	constructor(private readonly _sessions: ChatSessions) {
		this._subscription = _sessions.onDidChange(() => this.refresh());
	}

	getTreeItem(node: ChannelNode): vscode.TreeItem {
		return node.session ? sessionItem(node.session) : folderItem(node);
	}

	getChildren(node?: ChannelNode): ChannelNode[] {
		if (!node) {
			return this._roots;
		}
		if (node === this._userChats) {
			node.children = this._sessions.all.map(sessionNode);
		}
		return node.children;
	}

	refresh(): void {
		this._onDidChangeTreeData.fire(undefined);
	}

	dispose(): void {
		this._subscription.dispose();
		this._onDidChangeTreeData.dispose();
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

function folderItem(node: ChannelNode): vscode.TreeItem {
	const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
	item.id = node.id;
	item.iconPath = new vscode.ThemeIcon(node.icon);
	item.contextValue = `plue.folder.${node.id}`;
	return item;
}

function sessionItem(session: Session): vscode.TreeItem {
	const item = new vscode.TreeItem(session.title || session.slug, vscode.TreeItemCollapsibleState.None);
	item.id = `session:${session.id}`;
	item.iconPath = new vscode.ThemeIcon(sessionIcon(session));
	item.description = session.modelId;
	item.tooltip = `${session.title}\n${session.instanceId} · ${session.modelId}\n${session.messageCount} messages · ${formatCost(session.costUsd)}`;
	item.contextValue = session.status === 'archived' ? 'plue.chat.archived' : 'plue.chat';
	item.command = { command: 'plue.chat.open', title: 'Open Chat', arguments: [session.id] };
	return item;
}
