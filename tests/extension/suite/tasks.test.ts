import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PlueApi } from '../host/plueApi';
import { activatePlue } from './support';

const taskCommands: [string, string][] = [
	['plue.runTask', 'Run Task'], ['plue.openTask', 'Open Task'], ['plue.interruptTask', 'Interrupt Task'],
	['plue.resumeTask', 'Resume Task'], ['plue.approveTask', 'Approve'],
];

interface MenuItem { command: string; when?: string; group?: string }
interface Manifest {
	activationEvents: string[];
	contributes: { commands: { command: string; title: string; category: string }[]; menus: Record<string, MenuItem[]> };
}

suite('Plue agent tasks: commands', () => {
	let api: PlueApi;
	let manifest: Manifest;

	suiteSetup(async () => {
		api = await activatePlue();
		manifest = vscode.extensions.getExtension('plue.plue-vscode')?.packageJSON as Manifest;
	});

	test('the task commands are registered and contributed under "Plue"; task panels restore after a reload', async () => {
		const registered = new Set(await vscode.commands.getCommands(true));
		for (const [id, title] of taskCommands) {
			assert.ok(registered.has(id), `${id} is not registered`);
			const contributed = manifest.contributes.commands.find(c => c.command === id);
			assert.equal(contributed?.category, 'Plue', `${id} is not contributed under Plue`);
			assert.equal(contributed?.title, title);
		}
		assert.ok(registered.has('plue.approval.answer'), 'the notification links would run nothing');
		assert.ok(manifest.contributes.menus.commandPalette.some(m => m.command === 'plue.approval.answer' && m.when === 'false'), 'the links\' command shows in the palette');
		assert.ok(manifest.activationEvents.includes('onWebviewPanel:plue.task'), 'task panels would not be restored before activation');
	});

	test('a task row offers Open always, Approve when waiting, Interrupt when going and Resume when stopped', () => {
		const menu = manifest.contributes.menus['view/item/context'];
		const offered = (status: string): Set<string> => new Set(menu.filter(m => m.when && matches(m.when, `plue.task.${status}`)).map(m => m.command));
		assert.deepEqual([...offered('waiting-approval')].sort(), ['plue.approveTask', 'plue.interruptTask', 'plue.openTask']);
		assert.deepEqual([...offered('running')].sort(), ['plue.interruptTask', 'plue.openTask']);
		assert.deepEqual([...offered('paused')].sort(), ['plue.openTask', 'plue.resumeTask']);
		assert.deepEqual([...offered('completed')].sort(), ['plue.openTask']);
		assert.ok(menu.some(m => m.command === 'plue.runTask' && m.when?.includes('plue.folder.agentTasks')), 'Agent Tasks has no Run Task');
	});

	test('with nothing waiting, Approve says so and the Channels view has no badge', async () => {
		assert.deepEqual(api.approvals.all, []);
		assert.equal(await vscode.commands.executeCommand<boolean>('plue.approveTask'), false);
		assert.equal(api.channelsBadge(), undefined);
	});
});

/** Evaluates the `viewItem == x` / `viewItem =~ /re/` clause of a menu's `when` for a context value. */
function matches(when: string, contextValue: string): boolean {
	const equal = /viewItem == ([\w.-]+)/.exec(when);
	if (equal) {
		return equal[1] === contextValue;
	}
	const regex = /viewItem =~ \/(.+)\/$/.exec(when);
	return regex ? new RegExp(regex[1]).test(contextValue) : false;
}
