import * as vscode from 'vscode';
import { ChatSessions } from '../chat/chatSessions';
import { findLocalServers } from '../providers/localServers';
import { ProviderService } from '../providers/providerService';
import { useLocalServer } from '../providers/useLocalServer';
import { Sidecar } from '../sidecar/sidecar';
import { AgentTasks } from '../tasks/agentTasks';

/** The "Get Started with Plue" walkthrough's id, as `workbench.action.openWalkthrough` takes it. */
export const walkthroughId = 'plue.plue-vscode#plue.getStarted';

/** What the walkthrough's steps watch (package.json, `completionEvents`: `onContext:<key>`), in step order. */
export const walkthroughKeys = {
	provider: 'plue.walkthrough.hasProvider',
	chat: 'plue.walkthrough.hasChat',
	task: 'plue.walkthrough.hasTask',
	watched: 'plue.walkthrough.watchedTask',
} as const;

/** Set while a model server answers on this machine and no instance is enabled: the walkthrough offers it (its step's `when`). */
export const localServerKey = 'plue.walkthrough.localServerFound';

/** Whether the walkthrough has opened by itself once (global state, so once per user, not per window). */
const openedKey = 'plue.walkthrough.opened';

/** The setting that lets it open by itself on the first activation. */
export const openOnFirstRunSetting = 'plue.walkthrough.openOnFirstRun';

interface WalkthroughDeps {
	state: vscode.Memento;
	sidecar: Sidecar;
	providers: ProviderService;
	sessions: ChatSessions;
	tasks: AgentTasks;
	channelsView: Pick<vscode.TreeView<unknown>, 'visible' | 'onDidChangeVisibility'>;
	log: vscode.LogOutputChannel;
}

/**
 * Opens the walkthrough on the first activation ever (unless the setting says not to), so that a new user sees what
 * to do first; never again after, whatever happens to it. `before` runs first: the search for a local model server,
 * whose step then shows from the start.
 */
export async function openWalkthroughOnFirstRun(state: vscode.Memento, before: () => Promise<unknown> = () => Promise.resolve()): Promise<boolean> {
	if (state.get<boolean>(openedKey) || !vscode.workspace.getConfiguration().get<boolean>(openOnFirstRunSetting, true)) {
		return false;
	}
	await state.update(openedKey, true);
	await before();
	await vscode.commands.executeCommand('workbench.action.openWalkthrough', walkthroughId, false);
	return true;
}

/**
 * Sets the walkthrough's context keys when the thing each step asks for has happened: a provider
 * instance is enabled (or Claude Code is logged in), a chat exists, a task exists, and the Channels tree
 * was in view with a task in it. A key once true stays true for the window. While no instance is enabled, a model
 * server answering on this machine (Ollama, LM Studio, llama.cpp, vLLM on their usual ports) is offered by a step of
 * its own, added in one click.
 */
export function registerWalkthrough(deps: WalkthroughDeps): vscode.Disposable {
	const done = new Set<string>();
	const mark = (key: string, happened: boolean) => {
		if (happened && !done.has(key)) {
			done.add(key);
			void vscode.commands.executeCommand('setContext', key, true);
		}
	};
	let searched = false;
	const searchLocalServers = async () => {
		searched = true;
		// Once per window, in the background: a loaded machine's server gets longer to answer than Add Provider's half second.
		const found = await findLocalServers(2_000);
		await vscode.commands.executeCommand('setContext', localServerKey, found.length > 0 && !done.has(walkthroughKeys.provider));
	};
	const checkProviders = async () => {
		try {
			mark(walkthroughKeys.provider, (await deps.providers.instances()).some(instance => instance.enabled));
			if (!searched && !done.has(walkthroughKeys.provider)) {
				await searchLocalServers();
			}
		} catch (error) {
			deps.log.warn(`Walkthrough: could not list the provider instances: ${error instanceof Error ? error.message : String(error)}`);
		}
	};
	const checkTasks = () => {
		mark(walkthroughKeys.task, deps.tasks.all.length > 0);
		mark(walkthroughKeys.watched, deps.tasks.all.length > 0 && deps.channelsView.visible);
	};
	void openWalkthroughOnFirstRun(deps.state, searchLocalServers).catch((error: unknown) =>
		deps.log.warn(`Walkthrough: could not open it on the first run: ${error instanceof Error ? error.message : String(error)}`));
	return vscode.Disposable.from(
		deps.sidecar.onDidStart(() => void checkProviders()),
		deps.providers.onDidChange(() => void checkProviders()),
		deps.sessions.onDidChange(() => mark(walkthroughKeys.chat, deps.sessions.all.length > 0)),
		deps.tasks.onDidChange(checkTasks),
		deps.channelsView.onDidChangeVisibility(checkTasks),
		vscode.commands.registerCommand('plue.walkthrough.signInClaudeCode', async () => {
			const auth = await vscode.commands.executeCommand<{ loggedIn?: boolean } | undefined>('plue.claudeCode.checkLogin');
			mark(walkthroughKeys.provider, auth?.loggedIn === true);
		}),
		vscode.commands.registerCommand('plue.walkthrough.useLocalServer', () => useLocalServer(deps.providers)),
		vscode.commands.registerCommand('plue.walkthrough.open', () =>
			vscode.commands.executeCommand('workbench.action.openWalkthrough', walkthroughId, false)),
	);
}
