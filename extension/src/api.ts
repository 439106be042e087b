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

/** What `activate` returns: a small surface for the integration tests and other extensions. */
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
	/** The last error an MCP server or permissions command showed (validation errors name the fields). */
	lastCommandError(): string | undefined;
	/** The Providers tree's rows as the view renders them, tooltips (made on hover) included. */
	providerRows(): Promise<{ instance: ProviderInstance; item: vscode.TreeItem }[]>;
	/** A Channels node's children (User Chats: the sessions, newest first). */
	channelChildren(node: ChannelNode): ChannelNode[];
	/** How the Channels tree shows a node (icon, context value, command). */
	channelItem(node: ChannelNode): vscode.TreeItem;
	/** Why the chat sessions could not be listed the last time, if they could not. */
	sessionsError(): string | undefined;
	/** The agent tasks the tree shows (Channels → Agent Tasks). */
	readonly tasks: AgentTasks;
	/** The questions waiting for the user's approval, and the notification text each shows. */
	readonly approvals: Approvals;
	/** The Channels view's badge: tasks waiting for approval. */
	channelsBadge(): vscode.ViewBadge | undefined;
	/** The composer's `@` menu and the attachment each entry stands for. */
	readonly mentions: Mentions;
}
