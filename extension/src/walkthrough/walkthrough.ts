import * as vscode from 'vscode';
import { ChatSessions } from '../chat/chatSessions';
import { findLocalServers } from '../providers/localServers';
import { ProviderService } from '../providers/providerService';
import { useLocalServer } from '../providers/useLocalServer';
import { Sidecar } from '../sidecar/sidecar';
import { AgentTasks } from '../tasks/agentTasks';
import { errorText } from '../shared/errorText';

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
 * to do first, in whatever window that is; never again once it has shown. `before` runs first: the search for a local
 * model server, whose step then shows from the start. The once-only flag is spent only when the walkthrough's tab is
 * seen: when it is not, the next window tries again. Undefined when it was not to open.
 */
export async function openWalkthroughOnFirstRun(state: vscode.Memento, before: () => Promise<unknown> = () => Promise.resolve()): Promise<boolean | undefined> {
	if (state.get<boolean>(openedKey) || !vscode.workspace.getConfiguration().get<boolean>(openOnFirstRunSetting, true)) {
		return undefined;
	}
	await before();
	const shown = await showWalkthrough();
	if (shown) {
		await state.update(openedKey, true);
	}
	return shown;
}

/**
 * VS Code's walkthrough editors, as tabs: VS Code titles one "Walkthrough: <its extension's display name>" when it
 * opens on a walkthrough, "Welcome" when it opens on its own page and turns to a walkthrough there (its title, changed
 * after, does not always reach extensions). So a "Welcome" tab may show any walkthrough, ours or VS Code's own:
 * `showWalkthrough` closes them all before it opens ours, so that the one in front after is ours.
 */
function walkthroughPages(): vscode.Tab[] {
	return vscode.window.tabGroups.all.flatMap(group => group.tabs).filter(tab => tab.input === undefined && /^(Walkthrough: .+|Welcome)$/.test(tab.label));
}

/** Whether a walkthrough tab can be ours: titled with our display name, or the untitled "Welcome". */
function mayBeOurs(tab: vscode.Tab): boolean {
	const name = (vscode.extensions.getExtension(walkthroughId.split('#')[0])?.packageJSON as { displayName?: string } | undefined)?.displayName ?? 'Plue';
	return tab.label === `Walkthrough: ${name}` || tab.label === 'Welcome';
}

/** The walkthrough tabs in front of their groups, which VS Code's "open walkthrough" would turn or leave as they are. */
function walkthroughsInFront(): vscode.Tab[] {
	return walkthroughPages().filter(tab => tab.isActive);
}

/**
 * Resolves true once a walkthrough tab that may be ours is in front and has stayed so, untouched, for `settle` ms:
 * a window still starting may open its own welcome over ours a moment later, which then is not ours. False after `ms`
 * without one.
 */
function walkthroughTabSettles(ms: number, settle = 1_500): Promise<boolean> {
	return new Promise(resolve => {
		let quiet: ReturnType<typeof setTimeout> | undefined;
		const check = () => {
			clearTimeout(quiet);
			const inFront = walkthroughsInFront();
			quiet = inFront.length > 0 && inFront.every(mayBeOurs) ? setTimeout(() => done(true), settle) : undefined;
		};
		const done = (shown: boolean) => {
			clearTimeout(quiet);
			clearTimeout(timer);
			listener.dispose();
			resolve(shown);
		};
		// Any change to a walkthrough tab starts the wait again: a tab opened over ours, or turned to another walkthrough.
		const listener = vscode.window.tabGroups.onDidChangeTabs(event =>
			[...event.opened, ...event.closed, ...event.changed].some(tab => tab.input === undefined) && check());
		const timer = setTimeout(() => done(false), ms);
		check();
	});
}

/**
 * Opens the walkthrough and says whether it is in front. VS Code's "open walkthrough" does nothing while another
 * walkthrough, open at one of its steps, is in front in a group, and turns a "Welcome" page to ours only once ours is
 * known to it (a window still starting may not know it yet): so every walkthrough tab is closed first (Help > Welcome
 * opens VS Code's again; code-server opens its own, "Setup VS Code Web", on a first visit to a folder), and ours then
 * opens in a tab of its own. Tried again, at most three times, when another walkthrough comes in front of ours before it
 * settles (a window's own welcome, opened late on a loaded machine).
 */
export async function showWalkthrough(): Promise<boolean> {
	for (let attempt = 1; attempt <= 3; attempt++) {
		const pages = walkthroughPages();
		if (pages.length > 0) {
			await vscode.window.tabGroups.close(pages, true);
		}
		await vscode.commands.executeCommand('workbench.action.openWalkthrough', walkthroughId, false);
		// The tab reaches this process a moment after the command returns: longer on a loaded machine.
		if (await walkthroughTabSettles(10_000)) {
			return true;
		}
	}
	return false;
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
			deps.log.warn(`Walkthrough: could not list the provider instances: ${errorText(error)}`);
		}
	};
	const checkTasks = () => {
		mark(walkthroughKeys.task, deps.tasks.all.length > 0);
		mark(walkthroughKeys.watched, deps.tasks.all.length > 0 && deps.channelsView.visible);
	};
	void openWalkthroughOnFirstRun(deps.state, searchLocalServers).then(opened => opened === undefined
		? undefined
		: deps.log.info(opened ? 'Walkthrough: opened on this first run.' : 'Walkthrough: its tab did not show; the next window tries again.')).catch((error: unknown) =>
		deps.log.warn(`Walkthrough: could not open it on the first run: ${errorText(error)}`));
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
		vscode.commands.registerCommand('plue.walkthrough.open', () => showWalkthrough()),
	);
}
