import * as vscode from 'vscode';
import { InstanceFix, InstanceTestResult, ProviderInstance } from '../shared/protocol';
import { showError } from '../sidecar/commandErrors';
import { resolveInstance } from '../providers/pickers';
import { ProviderService } from '../providers/providerService';

/** What mends a failed test, as a button: its title and the command it runs on the instance. */
export const fixActions: Record<InstanceFix, { title: string; command: string }> = {
	key: { title: 'Configure Key…', command: 'plue.providers.configureKey' },
	settings: { title: 'Edit Provider…', command: 'plue.providers.edit' },
	login: { title: 'Check Claude Code Login', command: 'plue.claudeCode.checkLogin' },
	enable: { title: 'Enable', command: 'plue.providers.enable' },
};

const testAgain = 'Test Again';

/** The button that mends the instance's failed test; none for an environment instance's key or endpoint (they are the environment's). */
export function fixFor(instance: ProviderInstance, test: InstanceTestResult | undefined): { title: string; command: string } | undefined {
	const fix = test?.ok === false ? test.fix : undefined;
	if (!fix || (instance.fromEnvironment && fix !== 'login')) {
		return undefined;
	}
	return fixActions[fix];
}

/** `plue.providers.test`: one real call to the provider, shown as it went. Returns the result (tests use it). */
export async function testProviderInstance(service: ProviderService, arg?: unknown): Promise<InstanceTestResult | undefined> {
	try {
		const instance = await resolveInstance(service, arg, 'Test Provider Instance');
		return instance && await runTest(service, instance);
	} catch (error) {
		showError('test the provider instance', error);
		return undefined;
	}
}

/**
 * Tests under a progress notification (the sidecar keeps the result as the instance's last test) and reports latency
 * and model count, or the provider's error with a button for what mends it. Does not wait for the message's buttons.
 */
export async function runTest(service: ProviderService, instance: ProviderInstance): Promise<InstanceTestResult> {
	const result = await vscode.window.withProgress(
		{ location: vscode.ProgressLocation.Notification, title: `Testing ${instance.displayName}…` },
		() => service.test(instance.id),
	);
	reportTest(service, instance, result);
	return result;
}

/** Says how a test went: `works` and its figures, or the error with a button for what mends it and Test Again. `done` opens the message ("X is enabled and"). */
export function reportTest(service: ProviderService, instance: ProviderInstance, result: InstanceTestResult, done = ''): void {
	const name = `${instance.displayName}${done ? ` ${done}` : ''}`;
	if (result.ok) {
		const models = typeof result.modelCount === 'number' ? `, ${result.modelCount} model${result.modelCount === 1 ? '' : 's'}` : '';
		const agent = result.agent ? ` (${result.agent})` : '';
		void vscode.window.showInformationMessage(`${name} works: answered in ${result.latencyMs} ms${models}${agent}.`);
		return;
	}
	const after = result.latencyMs > 0 ? ` after ${result.latencyMs} ms` : '';
	const fix = fixFor(instance, result);
	const buttons = fix ? [fix.title, testAgain] : [testAgain];
	void vscode.window.showErrorMessage(`${name} failed its test${after}: ${result.error ?? 'no reason given'}`, ...buttons).then(choice => {
		if (choice === testAgain) {
			return runTest(service, instance);
		}
		return fix && choice === fix.title ? vscode.commands.executeCommand(fix.command, instance.id) : undefined;
	});
}

/** After a change that may mend a failed instance (a new key), tests it again; an instance that passed or was never tested is left alone. */
export async function retestIfFailed(service: ProviderService, instance: ProviderInstance): Promise<void> {
	if (instance.lastTest?.ok === false) {
		await runTest(service, await service.instance(instance.id));
	}
}
