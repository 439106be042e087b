import * as vscode from 'vscode';
import { CatalogProviderSummary, CreateInstanceParams, ProviderInstance, TemplateDetail } from '../shared/protocol';
import { showError } from '../sidecar/commandErrors';
import { endpointlessTypes, keylessTypes } from '../providers/format';
import { pickProviderOrServer, promptForKey } from '../providers/pickers';
import { isCustomEndpoint } from './format';
import { asksOwnCredential, providerSteps } from './providerSteps';
import { defaultKeyRef, ProviderService } from '../providers/providerService';
import { validateEndpoint } from '../providers/validation';
import { appliesTo, offeredProviders, providerFieldOf, requiredSteps } from './templateSteps';
import { runTest } from './testProviderInstance';
import { addLocalServer, notYetAdded } from './useLocalServer';

/**
 * `plue.providers.add`: provider → name → endpoint → the provider's own steps (project, region, deployments, how it
 * signs in) → key → create → test; a backend that needs no endpoint (the claude CLI) or no key (it, Ollama) skips
 * that step, and a server of the user's own may go without a key. Returns the created instance (tests use it).
 * From the name step, "Fill in a Form" opens the new instance's settings form instead, with the provider picked. A
 * user's own `llm-provider` template is followed: what it requires is asked, its name for the provider is filled.
 * Local servers found answering on their usual ports (and not added yet) come first, each added in one click.
 */
export async function addProviderInstance(service: ProviderService): Promise<ProviderInstance | undefined> {
	try {
		// The template in use decides: the providers it offers, and which steps apply to the one picked.
		const template = await service.template();
		const picked = await pickProviderOrServer(service, { title: 'Add Provider Instance', keyState: true, prices: true, offered: offeredProviders(template) }, notYetAdded(service));
		if (picked?.local) {
			return await addLocalServer(service, picked.local);
		}
		const provider = picked?.provider;
		if (!provider || !(await acceptUnsupported(provider))) {
			return undefined;
		}
		const askEndpoint = !endpointlessTypes.has(provider.type) && appliesTo(template, 'endpoint', provider.id);
		const own = [...providerSteps(provider).filter(s => stepApplies(template, s.label, provider)), ...requiredSteps(template, provider, service)];
		const askKey = !keylessTypes.has(provider.type) && !asksOwnCredential(provider) && appliesTo(template, 'api_key_ref', provider.id);
		const steps = 2 + (askEndpoint ? 1 : 0) + own.length + (askKey ? 1 : 0);
		let step = 2;
		const title = (label: string): string => `Add Provider Instance (${step}/${steps}): ${label}`;
		const displayName = await askName(provider, title('name'));
		if (displayName === formChosen) {
			await vscode.commands.executeCommand('plue.settings.new', 'llm-provider', { title: provider.name, values: { [providerFieldOf(template)]: provider.id } });
			return undefined;
		}
		if (displayName === undefined) {
			return undefined;
		}
		step++;
		const endpoint = !askEndpoint ? '' : await vscode.window.showInputBox({
			title: title('endpoint'),
			placeHolder: provider.defaultEndpoint ?? endpointExample(provider),
			prompt: provider.defaultEndpoint ? `Leave empty for ${provider.defaultEndpoint}.` : endpointPrompt(provider),
			ignoreFocusOut: true,
			validateInput: value => validateEndpoint(value, provider.defaultEndpoint !== null),
		});
		if (endpoint === undefined) {
			return undefined;
		}
		step += askEndpoint ? 1 : 0;
		const params: CreateInstanceParams = { displayName: displayName.trim(), catalogProviderId: provider.id };
		if (endpoint.trim() !== '') {
			params.endpoint = endpoint.trim();
		}
		for (const extra of own) {
			if (!(await extra.ask(title(extra.label), params, `${provider.name} (${step}/${steps})`))) {
				return undefined;
			}
			step++;
		}
		const key = askKey ? await keyParams(service, provider, `${step}/${steps}`, params.credential === 'authToken') : {};
		if (!key) {
			return undefined;
		}
		Object.assign(params, key);
		const instance = await service.create(params);
		await runTest(service, instance);
		return instance;
	} catch (error) {
		showError('add the provider instance', error);
		return undefined;
	}
}

/** The template field a provider's own step fills: a step whose field the template lacks or does not apply is not asked. */
function stepApplies(template: TemplateDetail, label: string, provider: CatalogProviderSummary): boolean {
	const field = label === 'credential' ? (provider.type === 'anthropic' ? 'credential' : 'api_key_ref') : label;
	return appliesTo(template, field, provider.id);
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
async function keyParams(service: ProviderService, provider: CatalogProviderSummary, step: string, authToken: boolean): Promise<Pick<CreateInstanceParams, 'apiKey' | 'apiKeyRef'> | undefined> {
	const ref = defaultKeyRef(provider.id);
	// A stored or environment key is an API key: an auth token is always typed.
	const [stored, env] = authToken ? [false, undefined] : await Promise.all([
		service.hasKey(ref).catch(() => false),
		service.instances().then(all => all.find(i => i.fromEnvironment && i.catalogProviderId === provider.id)).catch(() => undefined),
	]);
	const skipHint = stored ? 'use the key already stored for the provider' : env ? `use $${env.envVar ?? 'the environment variable'}`
		: isCustomEndpoint(provider) ? 'connect without one (a local server needs none)' : undefined;
	const key = await promptForKey(`${provider.name} (${step})`, skipHint, authToken ? { what: 'Auth token' } : {});
	if (key === undefined) {
		return undefined;
	}
	if (key !== '') {
		return { apiKey: key };
	}
	return stored ? { apiKeyRef: ref } : {};
}

/** What the endpoint box says when the catalog has no default: the user's own resource or server. */
function endpointPrompt(provider: CatalogProviderSummary): string {
	if (provider.type === 'azure') {
		return 'Your Azure OpenAI resource: https://<resource>.openai.azure.com.';
	}
	if (isCustomEndpoint(provider)) {
		return provider.type === 'anthropic'
			? 'The server\'s URL, without /v1: Plue calls /v1/messages and lists /v1/models.'
			: 'The server\'s URL, ending in /v1: vLLM http://127.0.0.1:8000/v1, LM Studio http://127.0.0.1:1234/v1, llama.cpp http://127.0.0.1:8080/v1, LiteLLM http://127.0.0.1:4000/v1.';
	}
	return 'This provider has no default endpoint.';
}

function endpointExample(provider: CatalogProviderSummary): string {
	return provider.type === 'azure' ? 'https://my-resource.openai.azure.com' : provider.type === 'anthropic' ? 'https://gateway.example.com' : 'http://127.0.0.1:8000/v1';
}
