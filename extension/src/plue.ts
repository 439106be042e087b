import * as vscode from 'vscode';
import { ApprovalDeps } from './approvals/approvalActions';
import { registerApprovalCommands } from './approvals/approvalCommands';
import { Approvals } from './approvals/approvals';
import { ChannelNode, ChannelsTreeProvider } from './channels/channelsTreeProvider';
import { RecordTags } from './channels/recordTags';
import { registerTagFilter } from './channels/tagFilter';
import { TemplateLooks } from './channels/templateLooks';
import { chatSettings, registerChatCommands } from './chat/chatCommands';
import { registerSearch } from './chat/searchHistory';
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
import { CustomizationsTree } from './customizations/customizationsTree';
import { customizationSettings, registerCustomizations } from './customizations/registerCustomizations';
import { McpServersTreeProvider } from './mcp/mcpServersTreeProvider';
import { mcpServerSettings, registerMcpServers } from './mcp/registerMcpServers';
import { catalogSettings, registerCatalogFiles } from './providers/catalogFiles';
import { registerMcpElicitation } from './mcp/mcpElicitation';
import { registerMcpInputs } from './mcp/mcpInputs';
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
import { providerSettings, registerProviders } from './providers/registerProviders';
import { logErrorDetails } from './sidecar/commandErrors';
import { Redactor } from './sidecar/redactor';
import { Sidecar } from './sidecar/sidecar';
import { TraceChannel } from './sidecar/traceChannel';
import { SettingsKinds } from './settings/kindSettings';
import { registerSettings } from './settings/registerSettings';
import { previousVaultKey } from './sidecar/vaultKey';
import { registerStatus } from './status/registerStatus';
import { AgentTasks } from './tasks/agentTasks';
import { registerTaskCommands, taskSettings } from './tasks/taskCommands';
import { TaskDeps } from './tasks/taskController';
import { bindApprovalBadge, createTaskStatusBar } from './tasks/taskIndicators';
import { registerTaskPanels, showTask } from './tasks/taskPanels';
import { newTemplate, NewTemplateOptions } from './templates/newTemplate';
import { TemplateDiagnostics } from './templates/templateDiagnostics';
import { registerWalkthrough } from './walkthrough/walkthrough';

/** What `startPlue` made that lives as long as the extension: the sidecar and the views and services over it. */
export interface Plue {
	sidecar: Sidecar;
	channels: ChannelsTreeProvider;
	channelsView: vscode.TreeView<ChannelNode>;
	providers: ProviderService;
	providersTree: ProvidersTreeProvider;
	mcpServers: McpServerService;
	mcpTree: McpServersTreeProvider;
	tasks: AgentTasks;
	approvals: Approvals;
	mentions: Mentions;
}

/**
 * The composition root: makes the sidecar and everything over it, registers the views and commands (disposed with
 * `context`) and starts the sidecar without waiting for it.
 */
export async function startPlue(context: vscode.ExtensionContext): Promise<Plue> {
	const activating = performance.now();
	const vaultKey = await previousVaultKey(context.secrets);
	const output = vscode.window.createOutputChannel('Plue', { log: true });
	const redactor = new Redactor();
	if (vaultKey) {
		redactor.add(vaultKey, '«vault key»');
	}
	const trace = new TraceChannel(vscode.window.createOutputChannel('Plue Trace', { log: true }), text => redactor.redact(text));
	const current = new Sidecar(context.extensionPath, output, trace, vaultKey);
	const providers = new ProviderService(current, redactor, output);
	const providersTree = new ProvidersTreeProvider(providers, current, output);
	const mcpServers = new McpServerService(current, redactor, output);
	const mcpTree = new McpServersTreeProvider(mcpServers, current, output);
	const customizations = new CustomizationsTree(current, output);
	const instances = new InstanceNames(providers);
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
	registerMcpInputs(current, redactor, output);
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
		logErrorDetails(output),
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
		registerCatalogFiles(current),
		...registerPlueModels(current, providers, output),
		mcpServers,
		mcpTree,
		registerMcpServers(mcpServers, mcpTree),
		customizations,
		registerCustomizations(current, customizations),
		templateDiagnostics,
		vscode.commands.registerCommand('plue.templates.new', (options?: NewTemplateOptions) => newTemplate(current, () => templateDiagnostics.folders(), options)),
		vscode.commands.registerCommand('plue.permissions.manage', (options?: ManagePermissionsOptions) => manageToolPermissions(current, tasks, options)),
		registerChatPanels(chat),
		// Each feature's records in the settings room, its groups listed in this order on the home.
		registerSettings({ extensionUri: context.extensionUri, sidecar: current, providers, redactor, log: output, kinds: new SettingsKinds([providerSettings(providers), chatSettings, taskSettings, mcpServerSettings, catalogSettings, ...customizationSettings]) }),
		registerTaskPanels(task),
		chatView,
		...registerChatCommands(chat, chatView),
		registerSearch(current),
		...registerTaskCommands(task, approvalDeps, () => mcpServers.list()),
		registerApprovalCommands(approvalDeps),
		registerWalkthrough({ state: context.globalState, sidecar: current, providers, sessions, tasks, channelsView, log: output }),
	);
	void current.start();
	output.info(`Activated in ${Math.round(performance.now() - activating)} ms.`);
	return { sidecar: current, channels, channelsView, providers, providersTree, mcpServers, mcpTree, tasks, approvals, mentions };
}
