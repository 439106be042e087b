import * as vscode from 'vscode';
import { ProviderInstance, InstanceTestResult } from '../shared/protocol';
import { showError } from '../providers/errors';
import { resolveInstance } from '../providers/pickers';
import { ProviderService } from '../providers/providerService';

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

/** Tests under a progress notification and reports latency and model count, or the provider's error. */
export async function runTest(service: ProviderService, instance: ProviderInstance): Promise<InstanceTestResult> {
	const result = await vscode.window.withProgress(
		{ location: vscode.ProgressLocation.Notification, title: `Testing ${instance.displayName}…` },
		() => service.test(instance.id),
	);
	if (result.ok) {
		const models = typeof result.modelCount === 'number' ? `, ${result.modelCount} model${result.modelCount === 1 ? '' : 's'}` : '';
		void vscode.window.showInformationMessage(`${instance.displayName} works: answered in ${result.latencyMs} ms${models}.`);
	} else {
		const after = result.latencyMs > 0 ? ` after ${result.latencyMs} ms` : '';
		void vscode.window.showErrorMessage(`${instance.displayName} failed its test${after}: ${result.error ?? 'no reason given'}`);
	}
	return result;
}
