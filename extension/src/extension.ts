import * as vscode from 'vscode';
import { PlueApi } from './api';
import { ApprovalDeps } from './approvals/approvalActions';
import { registerApprovalCommands } from './approvals/approvalCommands';
import { Approvals } from './approvals/approvals';
import { ChannelsTreeProvider } from './channels/channelsTreeProvider';
import { RecordTags } from './channels/recordTags';
import { registerTagFilter } from './channels/tagFilter';
import { TemplateLooks } from './channels/templateLooks';
import { registerChatCommands } from './chat/chatCommands';
import { ChatDeps } from './chat/chatController';
import { ChatModels } from './chat/chatModels';
import { ChatModes } from './chat/chatModes';
import { ChatView } from './chat/chatView';
import { Mentions } from './panel/mentions';
import { TerminalOutputs } from './panel/terminalOutputs';
import { CheckpointDiffs } from './panel/checkpointDiffs';
import { CodeProposals } from './panel/codeProposals';
import { registerChatPanels, showChat } from './chat/chatPanels';
import { ChatSessions } from './chat/chatSessions';
import { createCostStatusBar } from './chat/costStatusBar';
import { McpServerService } from './mcp/mcpServerService';
import { McpServersTreeProvider } from './mcp/mcpServersTreeProvider';
import { registerMcpServers } from './mcp/registerMcpServers';
import { registerMcpElicitation } from './mcp/mcpElicitation';
import { McpMentions } from './panel/mcpMentions';
import { McpPrompts } from './panel/mcpPrompts';
import { registerMcpSignIn } from './mcp/mcpSignIn';
import { EditorTracker } from './panel/editorTracker';
import { manageToolPermissions, ManagePermissionsOptions } from './permissions/manageToolPermissions';
import { registerEditorModels } from './languageModels/editorModels';
import { registerPlueModels } from './languageModels/plueModelProvider';
import { InstanceNames } from './providers/instanceNames';
import { ProviderService } from './providers/providerService';
import { ProvidersTreeProvider } from './providers/providersTreeProvider';
import { registerProviders } from './providers/registerProviders';
import { Redactor } from './sidecar/redactor';
import { Sidecar, SidecarState } from './sidecar/sidecar';
import { TraceChannel } from './sidecar/traceChannel';
import { registerSettings } from './settings/registerSettings';
import { targetKey } from './settings/formModel';
import { SettingsPanel } from './settings/settingsPanel';
import { previousVaultKey } from './sidecar/vaultKey';
import { registerStatus } from './status/registerStatus';
import { AgentTasks } from './tasks/agentTasks';
import { registerTaskCommands } from './tasks/taskCommands';
import { TaskDeps } from './tasks/taskController';
import { bindApprovalBadge, createTaskStatusBar } from './tasks/taskIndicators';
import { registerTaskPanels, showTask } from './tasks/taskPanels';
import { newTemplate, NewTemplateOptions } from './templates/newTemplate';
import { TemplateDiagnostics } from './templates/templateDiagnostics';
import { registerWalkthrough } from './walkthrough/walkthrough';

let sidecar: Sidecar | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<PlueApi | undefined> {
	const activating = performance.now();
	const vaultKey = await previousVaultKey(context.secrets);
	const output = vscode.window.createOutputChannel('Plue', { log: true });
	const redactor = new Redactor();
	if (vaultKey) {
		redactor.add(vaultKey, '«vault key»');
	}
	const trace = new TraceChannel(vscode.window.createOutputChannel('Plue Trace', { log: true }), text => redactor.redact(text));
	sidecar = new Sidecar(context.extensionPath, output, trace, vaultKey);
	const current = sidecar;
	const providers = new ProviderService(current, redactor);
	const providersTree = new ProvidersTreeProvider(providers, current, output);
	const mcpServers = new McpServerService(current, redactor);
	const mcpTree = new McpServersTreeProvider(mcpServers, current, output);
	const instances = new InstanceNames(current);
	const sessions = new ChatSessions(current, output);
	const tasks = new AgentTasks(current, output);
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
	current.onRequest('permission/request', (params, token) => approvals.handle(params, token));
	registerMcpSignIn(current, output);
	registerMcpElicitation(current, output);
	registerEditorModels(current);
	const editors = new EditorTracker();
	const templateDiagnostics = new TemplateDiagnostics(current, output);
	const templateLooks = new TemplateLooks(current);
	const recordTags = new RecordTags(current, output);
	const channels = new ChannelsTreeProvider(sessions, tasks, approvals, id => instances.nameOf(id), recordTags, templateLooks);
	const channelsView = vscode.window.createTreeView('plue.channels', { treeDataProvider: channels });
	const checkpointDiffs = new CheckpointDiffs(current);
	const panelDeps = { extensionUri: context.extensionUri, sidecar: current, approvals, editors, checkpointDiffs, log: output };
	const terminals = new TerminalOutputs();
	const mentions = new Mentions(editors, terminals, new McpMentions(current), new McpPrompts(current));
	const chat: ChatDeps = { ...panelDeps, sessions, instances, models: new ChatModels(current, instances, context.globalState), modes: new ChatModes(current), mentions, open: id => showChat(chat, id) };
	const chatView = new ChatView(chat, context.workspaceState);
	const task: TaskDeps = { ...panelDeps, tasks, instances, mentions, openTask: id => showTask(task, id) };
	const approvalDeps: ApprovalDeps = {
		approvals,
		showOwner: prompt => prompt.taskId ? showTask(task, prompt.taskId) : prompt.sessionId ? showChat(chat, prompt.sessionId) : undefined,
	};

	context.subscriptions.push(
		output,
		trace,
		current,
		instances,
		sessions,
		tasks,
		recordTags,
		registerTagFilter(channels, channelsView, recordTags),
		approvals,
		editors,
		terminals,
		templateLooks,
		new CodeProposals(editors),
		checkpointDiffs,
		channels,
		channelsView,
		bindApprovalBadge(channelsView, tasks, approvals),
		registerStatus(current),
		createCostStatusBar(sessions),
		createTaskStatusBar(tasks, approvals),
		tasks.onDidChangeTask(changed => {
			if (changed.status !== 'paused') {
				approvals.withdrawSpendCap(changed.id);
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
		...registerPlueModels(current, providers.onDidChange, output),
		mcpServers,
		mcpTree,
		registerMcpServers(mcpServers, mcpTree),
		templateDiagnostics,
		vscode.commands.registerCommand('plue.templates.new', (options?: NewTemplateOptions) => newTemplate(current, () => templateDiagnostics.folders(), options)),
		vscode.commands.registerCommand('plue.permissions.manage', (options?: ManagePermissionsOptions) => manageToolPermissions(current, tasks, options)),
		registerChatPanels(chat),
		registerSettings({ extensionUri: context.extensionUri, sidecar: current, redactor, log: output }),
		registerTaskPanels(task),
		chatView,
		...registerChatCommands(chat, chatView),
		...registerTaskCommands(task, approvalDeps, () => mcpServers.list()),
		registerApprovalCommands(approvalDeps),
		registerWalkthrough({ state: context.globalState, sidecar: current, providers, sessions, tasks, channelsView, log: output }),
	);
	void current.start();
	output.info(`Activated in ${Math.round(performance.now() - activating)} ms.`);

	// Only the integration suite reads these. Any other extension could drive the sidecar through the client (point a
	// provider's endpoint elsewhere, and its key follows), so an installed Plue exports nothing.
	if (context.extensionMode !== vscode.ExtensionMode.Test) {
		return undefined;
	}
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
		providerRows: async () => (await providersTree.getChildren()).map(row => ({ instance: row, item: providersTree.resolveTreeItem(providersTree.getTreeItem(row), row) })),
		channelChildren: node => channels.getChildren(node),
		channelItem: node => channels.getTreeItem(node),
		tasks,
		approvals,
		channelsBadge: () => channelsView.badge,
		mentions,
		settingsPanel: key => SettingsPanel.all().find(panel => targetKey(panel.target) === key),
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
