import * as vscode from 'vscode';

/** A node of the Channels tree. Later issues add chats and tasks under the folders. */
export interface ChannelNode {
	id: string;
	label: string;
	icon: string;
	children: ChannelNode[];
}

/** The `plue.channels` view: the "User Chats" and "Agent Tasks" folders. */
export class ChannelsTreeProvider implements vscode.TreeDataProvider<ChannelNode> {
	private readonly _onDidChangeTreeData = new vscode.EventEmitter<ChannelNode | undefined>();
	readonly onDidChangeTreeData = this._onDidChangeTreeData.event;

	private readonly _roots: ChannelNode[] = [
		{ id: 'userChats', label: 'User Chats', icon: 'comment-discussion', children: [] },
		{ id: 'agentTasks', label: 'Agent Tasks', icon: 'robot', children: [] },
	];

	getTreeItem(node: ChannelNode): vscode.TreeItem {
		const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
		item.id = node.id;
		item.iconPath = new vscode.ThemeIcon(node.icon);
		item.contextValue = 'plue.folder';
		return item;
	}

	getChildren(node?: ChannelNode): ChannelNode[] {
		return node ? node.children : this._roots;
	}

	refresh(): void {
		this._onDidChangeTreeData.fire(undefined);
	}

	dispose(): void {
		this._onDidChangeTreeData.dispose();
	}
}
