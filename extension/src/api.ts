import type { LanguageClient } from 'vscode-languageclient/node';
import type { ChannelNode } from './channels/channelsTreeProvider';
import type * as vscode from 'vscode';
import type { McpServer } from './mcp/mcpServer';
import type { McpServerService } from './mcp/mcpServerService';
import type { ProviderInstance, StatusResult } from './shared/protocol';
import type { ProviderService } from './providers/providerService';
import type { SidecarState } from './sidecar/sidecar';
import type { AgentTasks } from './tasks/agentTasks';
import type { Approvals } from './approvals/approvals';
import type { Mentions } from './panel/mentions';
import type { SettingsHostMessage, SettingsWebviewMessage } from './shared/settingsMessages';

/**
 * What `activate` returns under the integration tests (tests/extension, run as VS Code's extension tests); an
 * installed Plue returns nothing, so no other extension reaches the sidecar (tests/e2e/extensionExports checks).
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
	 * `receive` takes a message as the webview posts it, `onDidPost` tells what the panel posts back.
	 */
	settingsPanel(key: string): SettingsWebviewPeer | undefined;
}

/** The host side of a settings webview's conversation. */
export interface SettingsWebviewPeer {
	receive(message: SettingsWebviewMessage): Promise<void>;
	readonly onDidPost: vscode.Event<SettingsHostMessage>;
}
