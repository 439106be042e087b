import type { LanguageClient } from 'vscode-languageclient/node';
import * as vscode from 'vscode';
import type { ChannelNode } from '../../../extension/src/channels/channelsTreeProvider';
import type { McpServer } from '../../../extension/src/mcp/mcpServer';
import type { McpServerService } from '../../../extension/src/mcp/mcpServerService';
import type { Plue } from '../../../extension/src/plue';
import type { ProviderService } from '../../../extension/src/providers/providerService';
import type { ProviderInstance, StatusResult } from '../../../extension/src/shared/protocol';
import type { SettingsHostMessage, SettingsWebviewMessage } from '../../../extension/src/shared/settingsMessages';
import type { Sidecar, SidecarState } from '../../../extension/src/sidecar/sidecar';
import type { AgentTasks } from '../../../extension/src/tasks/agentTasks';
import type { Approvals } from '../../../extension/src/approvals/approvals';
import type { Mentions } from '../../../extension/src/panel/mentions';
import { targetKey } from '../../../extension/src/settings/formModel';
import { SettingsPanel } from '../../../extension/src/settings/settingsPanel';

/**
 * What the test entry's `activate` returns to the integration suites: Plue's parts as its views and the sidecar see
 * them. The product's own `activate` returns nothing (tests/e2e/extensionExports checks).
 */
export interface PlueApi {
	/** The current LanguageClient (a new one after each restart). */
	readonly client: LanguageClient | undefined;
	/** The sidecar's process id while it runs. */
	readonly sidecarPid: number | undefined;
	readonly state: SidecarState;
	/** Resolves the next time the sidecar reaches `kind` (at once if it is there now). */
	whenState(kind: SidecarState['kind']): Promise<SidecarState>;
	status(): Promise<StatusResult>;
	/** The folder holding this extension's log files ("Plue", "Plue Trace"). */
	readonly logPath: string;
	/** The Channels tree's top-level nodes. */
	channels(): ChannelNode[];
	/** The catalog, instances and vault (secrets go in, never come out). */
	readonly providers: ProviderService;
	/** The mcp-server records and the vault entries they own. */
	readonly mcpServers: McpServerService;
	/** The MCP Servers tree's rows as the view renders them. */
	mcpServerRows(): Promise<{ server: McpServer; item: vscode.TreeItem }[]>;
	/** The Providers tree's rows as the view renders them, tooltips (made on hover) included. */
	providerRows(): Promise<{ instance: ProviderInstance; item: vscode.TreeItem }[]>;
	/** What the Providers tree tells VS Code to draw again: some rows, or (undefined) the whole tree. */
	readonly onDidChangeProviderRows: vscode.Event<ProviderInstance | ProviderInstance[] | undefined>;
	/** A Channels node's children (User Chats: the sessions, newest first). */
	channelChildren(node: ChannelNode): ChannelNode[];
	/** How the Channels tree shows a node (icon, context value, command). */
	channelItem(node: ChannelNode): vscode.TreeItem;
	/** The agent tasks the tree shows (Channels → Agent Tasks). */
	readonly tasks: AgentTasks;
	/** The questions waiting for the user's approval, and the notification text each shows. */
	readonly approvals: Approvals;
	/** The Channels view's badge: tasks waiting for approval. */
	channelsBadge(): vscode.ViewBadge | undefined;
	/** The composer's `@` menu and the attachment each entry stands for. */
	readonly mentions: Mentions;
	/**
	 * An open settings panel as its webview sees it (key: `home`, `record:<id>`, `new:<template>`, `run:<template>`):
	 * `receive` takes a message as the webview posts it, `onDidPost` tells what the panel posts back (caught at
	 * `webview.postMessage`, where it leaves for the webview).
	 */
	settingsPanel(key: string): SettingsWebviewPeer | undefined;
}

/** The host side of a settings webview's conversation. */
export interface SettingsWebviewPeer {
	receive(message: SettingsWebviewMessage): Promise<void>;
	readonly onDidPost: vscode.Event<SettingsHostMessage>;
}

/** The PlueApi over what `startPlue` made. */
export function plueApi(plue: Plue, context: vscode.ExtensionContext): PlueApi {
	const { sidecar, channels, channelsView, providersTree, mcpTree } = plue;
	return {
		get client() { return sidecar.client; },
		get sidecarPid() { return sidecar.pid; },
		get state() { return sidecar.state; },
		whenState: kind => whenState(sidecar, kind),
		status: () => sidecar.status(),
		logPath: context.logUri.fsPath,
		channels: () => channels.getChildren(),
		providers: plue.providers,
		mcpServers: plue.mcpServers,
		mcpServerRows: async () => (await mcpTree.getChildren()).map(server => ({ server, item: mcpTree.getTreeItem(server) })),
		providerRows: async () => (await providersTree.getChildren()).map(row => ({ instance: row, item: providersTree.resolveTreeItem(providersTree.getTreeItem(row), row) })),
		onDidChangeProviderRows: providersTree.onDidChangeTreeData,
		channelChildren: node => channels.getChildren(node),
		channelItem: node => channels.getTreeItem(node),
		tasks: plue.tasks,
		approvals: plue.approvals,
		channelsBadge: () => channelsView.badge,
		mentions: plue.mentions,
		settingsPanel: key => {
			const panel = SettingsPanel.all().find(open => targetKey(open.target) === key);
			return panel && peerOf(panel);
		},
	};
}

const peers = new WeakMap<SettingsPanel, SettingsWebviewPeer>();

/** A panel's webview as the suites play it: what the panel posts is caught where it leaves for the webview. */
function peerOf(panel: SettingsPanel): SettingsWebviewPeer {
	let peer = peers.get(panel);
	if (!peer) {
		const posted = new vscode.EventEmitter<SettingsHostMessage>();
		const webview = panel.panel.webview;
		const post = webview.postMessage.bind(webview);
		webview.postMessage = (message: SettingsHostMessage) => {
			posted.fire(message);
			return post(message);
		};
		peer = { receive: message => panel.receive(message), onDidPost: posted.event };
		peers.set(panel, peer);
	}
	return peer;
}

function whenState(sidecar: Sidecar, kind: SidecarState['kind']): Promise<SidecarState> {
	if (sidecar.state.kind === kind) {
		return Promise.resolve(sidecar.state);
	}
	return new Promise(resolve => {
		const listener = sidecar.onDidChangeState(state => {
			if (state.kind === kind) {
				listener.dispose();
				resolve(state);
			}
		});
	});
}
