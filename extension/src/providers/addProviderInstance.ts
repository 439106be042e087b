import * as vscode from 'vscode';
import { CatalogProviderSummary, CreateInstanceParams, ProviderInstance } from '../shared/protocol';
import { showError } from '../providers/errors';
import { endpointlessTypes, keylessTypes } from '../providers/format';
import { pickCatalogProvider, promptForKey } from '../providers/pickers';
import { defaultKeyRef, ProviderService } from '../providers/providerService';
import { validateEndpoint } from '../providers/validation';
import { runTest } from './testProviderInstance';

/**
 * `plue.providers.add`: provider → name → endpoint → key → create → test; a backend that needs no endpoint
 * (the claude CLI) or no key (it, Ollama) skips that step. Returns the created instance (tests use it).
 * From the name step, "Fill in a Form" opens the new instance's settings form instead, with the provider picked.
 */
export async function addProviderInstance(service: ProviderService): Promise<ProviderInstance | undefined> {
	try {
		const provider = await pickCatalogProvider(service, { title: 'Add Provider Instance', keyState: true, prices: true });
		if (!provider || !(await acceptUnsupported(provider))) {
			return undefined;
		}
		const askEndpoint = !endpointlessTypes.has(provider.type);
		const steps = 2 + (askEndpoint ? 1 : 0) + (keylessTypes.has(provider.type) ? 0 : 1);
		const displayName = await askName(provider, `Add Provider Instance (2/${steps}): name`);
		if (displayName === formChosen) {
			await vscode.commands.executeCommand('plue.settings.new', 'llm-provider', { title: provider.name, values: { catalog_provider_id: provider.id } });
			return undefined;
		}
		if (displayName === undefined) {
			return undefined;
		}
		const endpoint = !askEndpoint ? '' : await vscode.window.showInputBox({
			title: `Add Provider Instance (3/${steps}): endpoint`,
			placeHolder: provider.defaultEndpoint ?? 'https://…',
			prompt: provider.defaultEndpoint ? `Leave empty for ${provider.defaultEndpoint}.` : 'This provider has no default endpoint.',
			ignoreFocusOut: true,
			validateInput: value => validateEndpoint(value, provider.defaultEndpoint !== null),
		});
		if (endpoint === undefined) {
			return undefined;
		}
		const key = await keyParams(service, provider, `${steps}/${steps}`);
		if (!key) {
			return undefined;
		}
		const params: CreateInstanceParams = { displayName: displayName.trim(), catalogProviderId: provider.id, ...key };
		if (endpoint.trim() !== '') {
			params.endpoint = endpoint.trim();
		}
		const instance = await service.create(params);
		await runTest(service, instance);
		return instance;
	} catch (error) {
		showError('add the provider instance', error);
		return undefined;
	}
}

const formChosen = Symbol('form');
const formButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('settings-gear'), tooltip: 'Fill in a Form' };

/** The name step, with a button to the form (every setting, including region, project or deployments). */
function askName(provider: CatalogProviderSummary, title: string): Promise<string | typeof formChosen | undefined> {
	const box = vscode.window.createInputBox();
	box.title = title;
	box.value = provider.name;
	box.prompt = 'The name shown in the Providers view and model pickers. Or Fill in a Form (the gear) for every setting.';
	box.ignoreFocusOut = true;
	box.buttons = [formButton];
	return new Promise(resolve => {
		let answer: string | typeof formChosen | undefined;
		box.onDidChangeValue(value => { box.validationMessage = value.trim() === '' ? 'Enter a name.' : undefined; });
		box.onDidAccept(() => {
			if (box.value.trim() !== '') {
				answer = box.value;
				box.hide();
			}
		});
		box.onDidTriggerButton(() => {
			answer = formChosen;
			box.hide();
		});
		box.onDidHide(() => {
			box.dispose();
			resolve(answer);
		});
		box.show();
	});
}

async function acceptUnsupported(provider: CatalogProviderSummary): Promise<boolean> {
	if (provider.supported) {
		return true;
	}
	const choice = await vscode.window.showWarningMessage(
		`Plue cannot chat with ${provider.name} yet (no "${provider.type}" backend). Add it anyway?`, { modal: true }, 'Add Anyway');
	return choice === 'Add Anyway';
}

/** The key part of `instances/create`: a new key, the stored default, the environment's, or none. Undefined = cancelled. */
async function keyParams(service: ProviderService, provider: CatalogProviderSummary, step: string): Promise<Pick<CreateInstanceParams, 'apiKey' | 'apiKeyRef'> | undefined> {
	if (keylessTypes.has(provider.type)) {
		return {};
	}
	const ref = defaultKeyRef(provider.id);
	const [stored, env] = await Promise.all([
		service.hasKey(ref).catch(() => false),
		service.instances().then(all => all.find(i => i.fromEnvironment && i.catalogProviderId === provider.id)).catch(() => undefined),
	]);
	const skipHint = stored ? 'use the key already stored for the provider' : env ? `use $${env.envVar ?? 'the environment variable'}` : undefined;
	const key = await promptForKey(`${provider.name} (${step})`, skipHint);
	if (key === undefined) {
		return undefined;
	}
	if (key !== '') {
		return { apiKey: key };
	}
	return stored ? { apiKeyRef: ref } : {};
}
