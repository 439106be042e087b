import * as vscode from 'vscode';
import { ProviderInstance } from '../shared/protocol';
import { showError } from '../sidecar/commandErrors';
import { findLocalServers, LocalServer, modelCount } from './localServers';
import { ProviderService } from './providerService';
import { runTest } from './testProviderInstance';

/** The local servers answering now whose endpoint no instance has yet. */
export async function notYetAdded(service: ProviderService): Promise<LocalServer[]> {
	const [servers, instances] = await Promise.all([findLocalServers(), service.instances().catch(() => [] as ProviderInstance[])]);
	const added = new Set(instances.map(instance => instance.endpoint?.replace(/\/+$/, '')));
	return servers.filter(server => !added.has(server.endpoint) && !added.has(server.endpoint.replace('127.0.0.1', 'localhost')));
}

/** A found server as an instance named after it, local ($0) and without a key, then its test (which lists its models). */
export async function addLocalServer(service: ProviderService, server: LocalServer): Promise<ProviderInstance> {
	const instance = await service.create({ displayName: server.name, catalogProviderId: server.catalogProviderId, endpoint: server.endpoint, local: true });
	await runTest(service, instance);
	return instance;
}

/**
 * The walkthrough's "Use It": the model server found on this machine added at once (a quick pick only when several
 * answer); when none answers any more, says where it looked and offers Add Provider Instance.
 */
export async function useLocalServer(service: ProviderService): Promise<ProviderInstance | undefined> {
	try {
		const servers = await notYetAdded(service);
		if (servers.length === 0) {
			const choice = await vscode.window.showWarningMessage(
				'Plue: no model server answers on this machine now (Ollama on 11434, LM Studio on 1234, llama.cpp on 8080, vLLM on 8000). Start one and try again, or add a provider.',
				'Add Provider');
			if (choice) {
				await vscode.commands.executeCommand('plue.providers.add');
			}
			return undefined;
		}
		const server = servers.length === 1 ? servers[0] : (await vscode.window.showQuickPick(
			servers.map(found => ({ label: `$(vm-running) ${found.name} at ${found.endpoint}`, description: modelCount(found), found })),
			{ title: 'Use a Model Server on This Machine', placeHolder: 'Pick the server to chat with', ignoreFocusOut: true }))?.found;
		return server && await addLocalServer(service, server);
	} catch (error) {
		showError('add the model server found on this machine', error);
		return undefined;
	}
}
