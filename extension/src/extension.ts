import * as vscode from 'vscode';
import { PlueApi } from './api';
import { ChannelsTreeProvider } from './channels/channelsTreeProvider';
import { lastCommandError } from './commandErrors';
import { checkClaudeLogin } from './commands/checkClaudeLogin';
import { registerChatCommands } from './chat/chatCommands';
import { ChatClient } from './chat/chatClient';
import { ChatDeps } from './chat/chatController';
import { ChatPanel } from './chat/chatPanel';
import { ChatSessions } from './chat/chatSessions';
import { createCostStatusBar } from './chat/costStatusBar';
import { EditorTracker } from './chat/editorTracker';
import { McpServerService } from './mcp/mcpServerService';
import { McpServersTreeProvider } from './mcp/mcpServersTreeProvider';
import { registerMcpServers } from './mcp/registerMcpServers';
import { manageToolPermissions, ManagePermissionsOptions } from './permissions/manageToolPermissions';
import { showStatus } from './commands/showStatus';
import { AgentTasks } from './tasks/agentTasks';
import { Approvals } from './tasks/approvals';
import { registerTaskCommands } from './tasks/taskCommands';
import { bindApprovalBadge, createTaskStatusBar } from './tasks/taskIndicators';
import { ProviderService } from './providers/providerService';
import { ProvidersTreeProvider } from './providers/providersTreeProvider';
import { registerProviders } from './providers/registerProviders';
import { Redactor } from './redactor';
import { Sidecar, SidecarState } from './sidecar';
import { createStatusBar } from './statusBar';
import { TraceChannel } from './traceChannel';
import { getOrCreateVaultKey } from './vaultKey';

let sidecar: Sidecar | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<PlueApi> {
	const vaultKey = await getOrCreateVaultKey(context.secrets);
	const output = vscode.window.createOutputChannel('Plue', { log: true });
	const redactor = new Redactor();
	redactor.add(vaultKey, '«vault key»');
	const trace = new TraceChannel(vscode.window.createOutputChannel('Plue Trace', { log: true }), text => redactor.redact(text));
	sidecar = new Sidecar(context.extensionPath, output, trace, vaultKey);
	const current = sidecar;
	const providers = new ProviderService(current, redactor);
	const providersTree = new ProvidersTreeProvider(providers, current, output);
	const mcpServers = new McpServerService(current, redactor);
	const mcpTree = new McpServersTreeProvider(mcpServers, current, output);
	const chatClient = new ChatClient(current);
	const sessions = new ChatSessions(chatClient, output);
	const tasks = new AgentTasks(chatClient, output);
	const approvals = new Approvals({
		ownerName: async params => {
			if (params.taskId) {
				return `task "${(await tasks.ensure(params.taskId)).title}"`;
			}
			const session = params.sessionId ? sessions.get(params.sessionId) : undefined;
			return session ? `chat "${session.title || session.slug}"` : 'a chat';
		},
		mask: text => redactor.redact(text),
		log: output,
	});
	chatClient.handlePermissionRequests((params, token) => approvals.handle(params, token));
	const editors = new EditorTracker();
	const channels = new ChannelsTreeProvider(sessions, tasks, approvals);
	const channelsView = vscode.window.createTreeView('plue.channels', { treeDataProvider: channels });
	const chat: ChatDeps = {
		extensionUri: context.extensionUri, client: chatClient, sessions, tasks, approvals, editors, log: output,
		open: sessionId => ChatPanel.show(chat, sessionId),
		openTask: taskId => ChatPanel.showTask(chat, taskId),
	};

	context.subscriptions.push(
		output,
		trace,
		current,
		chatClient,
		sessions,
		tasks,
		approvals,
		editors,
		channels,
		channelsView,
		bindApprovalBadge(channelsView, tasks, approvals),
		createStatusBar(current),
		createCostStatusBar(sessions),
		createTaskStatusBar(tasks, approvals),
		tasks.onDidChangeTask(task => {
			if (task.status !== 'paused') {
				approvals.withdrawSpendCap(task.id);
			}
		}),
		// Questions from a sidecar that stopped can no longer be answered.
		current.onDidChangeState(state => {
			if (state.kind !== 'running') {
				approvals.withdrawAll('The sidecar stopped.');
			}
		}),
		providers,
		providersTree,
		registerProviders(providers, providersTree),
		mcpServers,
		mcpTree,
		registerMcpServers(mcpServers, mcpTree),
		vscode.commands.registerCommand('plue.permissions.manage', (options?: ManagePermissionsOptions) => manageToolPermissions(chatClient, tasks, options)),
		vscode.window.registerWebviewPanelSerializer(ChatPanel.viewType, ChatPanel.serializer(chat)),
		vscode.window.registerWebviewPanelSerializer(ChatPanel.taskViewType, ChatPanel.serializer(chat, 'task')),
		...registerChatCommands(chat),
		...registerTaskCommands(chat, () => mcpServers.list()),
		vscode.commands.registerCommand('plue.showStatus', () => showStatus(current)),
		vscode.commands.registerCommand('plue.claudeCode.checkLogin', () => checkClaudeLogin(current)),
		vscode.commands.registerCommand('plue.restartSidecar', () => current.restart()),
		vscode.workspace.onDidChangeConfiguration(e => {
			if (e.affectsConfiguration('plue.sidecar.path')) {
				void current.restart();
			}
		}),
	);
	void current.start();

	return {
		get client() { return current.client; },
		get sidecarPid() { return current.pid; },
		get state() { return current.state; },
		whenState: kind => whenState(current, kind),
		status: () => current.status(),
		logPath: context.logUri.fsPath,
		channels: () => channels.getChildren(),
		providers,
		mcpServers,
		mcpServerRows: async () => (await mcpTree.getChildren()).map(server => ({ server, item: mcpTree.getTreeItem(server) })),
		lastCommandError,
		providerRows: async () => (await providersTree.getChildren()).map(row => ({ instance: row, item: providersTree.getTreeItem(row) })),
		channelChildren: node => channels.getChildren(node),
		channelItem: node => channels.getTreeItem(node),
		sessionsError: () => sessions.lastError,
		tasks,
		approvals,
		channelsBadge: () => channelsView.badge,
	};
}

export async function deactivate(): Promise<void> {
	await sidecar?.stop();
}

function whenState(current: Sidecar, kind: SidecarState['kind']): Promise<SidecarState> {
	if (current.state.kind === kind) {
		return Promise.resolve(current.state);
	}
	return new Promise(resolve => {
		const listener = current.onDidChangeState(state => {
			if (state.kind === kind) {
				listener.dispose();
				resolve(state);
			}
		});
	});
}
