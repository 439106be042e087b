import * as vscode from 'vscode';
import { CatalogModel, CatalogProviderSummary, ProviderInstance } from '../shared/protocol';
import { describeState, isCustomEndpoint, keylessTypes, ownCredentialTypes, providerDescription } from './format';
import { resolveTarget } from '../sidecar/commandTarget';
import { LocalServer, modelCount } from './localServers';
import { defaultKeyRef, ProviderService } from './providerService';

interface ProviderItem extends vscode.QuickPickItem {
	provider?: CatalogProviderSummary;
	local?: LocalServer;
}

/** What the provider picker shows besides names and model counts. */
export interface ProviderPickOptions {
	title: string;
	/** Show "key stored" / "key from $VAR" / "no key". */
	keyState?: boolean;
	/** Show each provider's input price range (one `catalog/models` per provider). */
	prices?: boolean;
	/** Only these catalog providers (the ones the template in use offers); undefined: all. */
	offered?: ReadonlySet<string>;
}

/** A quick pick of catalog providers; supported ones first, unsupported ones marked. */
export async function pickCatalogProvider(service: ProviderService, options: ProviderPickOptions): Promise<CatalogProviderSummary | undefined> {
	return (await pickProviderOrServer(service, options, Promise.resolve([])))?.provider;
}

/**
 * The provider picker with the local servers `found` on this machine first, each added in one click: the answer
 * is either a catalog provider or one of those servers.
 */
export async function pickProviderOrServer(service: ProviderService, options: ProviderPickOptions, found: Promise<LocalServer[]>)
	: Promise<{ provider?: CatalogProviderSummary; local?: LocalServer } | undefined> {
	const offeredServers = found.then(all => all.filter(s => !options.offered || options.offered.has(s.catalogProviderId)));
	const items = Promise.all([offeredServers, providerItems(service, options)]).then(([servers, providers]): ProviderItem[] => servers.length === 0 ? providers : [
		{ label: 'Found on this machine', kind: vscode.QuickPickItemKind.Separator },
		...servers.map(local => ({
			label: `$(vm-running) ${local.name} at ${local.endpoint}`,
			description: modelCount(local),
			detail: 'Add it as it is, in one click',
			local,
		})),
		{ label: 'All providers', kind: vscode.QuickPickItemKind.Separator },
		...providers,
	]);
	const picked = await vscode.window.showQuickPick(items, {
		title: options.title,
		placeHolder: 'Pick a provider',
		matchOnDescription: true,
		ignoreFocusOut: true,
	});
	return picked && { provider: picked.provider, local: picked.local };
}

async function providerItems(service: ProviderService, options: ProviderPickOptions): Promise<ProviderItem[]> {
	const providers = (await service.catalog()).filter(p => !options.offered || options.offered.has(p.id));
	const [models, keys] = await Promise.all([
		options.prices ? Promise.all(providers.map(p => service.catalogModels(p.id).catch(() => undefined))) : Promise.resolve([]),
		options.keyState ? keyStates(service) : Promise.resolve(undefined),
	]);
	const items = providers.map((provider, i): ProviderItem => {
		const modelsOf: CatalogModel[] | undefined = models[i];
		const detail = keys && needsKey(provider) ? keys(provider.id) : undefined;
		return { label: provider.name, description: providerDescription(provider, modelsOf), detail, provider };
	});
	return [...items.filter(i => i.provider?.supported), ...items.filter(i => !i.provider?.supported)];
}

/** Whether the provider wants a key: not a local or CLI backend, one signing in its own way, or a server of the user's own. */
function needsKey(provider: CatalogProviderSummary): boolean {
	return !keylessTypes.has(provider.type) && !ownCredentialTypes.has(provider.type) && !isCustomEndpoint(provider);
}

/** A function from provider id to its key state, from one `vault/list` and one `instances/list`. */
async function keyStates(service: ProviderService): Promise<(providerId: string) => string> {
	const [refs, instances] = await Promise.all([
		service.vaultRefs().catch(() => [] as string[]),
		service.instances().catch(() => [] as ProviderInstance[]),
	]);
	const stored = new Set(refs);
	return providerId => {
		if (stored.has(defaultKeyRef(providerId))) {
			return '$(key) key stored';
		}
		const env = instances.find(i => i.fromEnvironment && i.catalogProviderId === providerId);
		if (env) {
			return `$(symbol-variable) key from $${env.envVar ?? 'environment'}`;
		}
		return '$(circle-outline) no key';
	};
}

/** The instance a command acts on: its argument (a tree row or an id), read again; else one the user picks among `filter`'s. */
export function resolveInstance(
	service: ProviderService, arg: unknown, title: string, filter: (i: ProviderInstance) => boolean = () => true,
): Promise<ProviderInstance | undefined> {
	return resolveTarget({
		get: id => service.instance(id),
		list: () => service.instances(),
		isRow: isInstance,
		item: instance => ({ label: instance.displayName, description: `${instance.catalogProviderId} · ${describeState(instance)}` }),
		none: 'No matching provider instances. Run "Plue: Add Provider Instance" first.',
		placeHolder: 'Pick a provider instance',
	}, arg, title, filter);
}

function isInstance(value: unknown): value is ProviderInstance {
	return typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string'
		&& typeof (value as { catalogProviderId?: unknown }).catalogProviderId === 'string';
}

/**
 * A masked input box for an API key. With `skipHint`, an empty answer is
 * allowed and means "use the key already available" (returned as '').
 */
export async function promptForKey(providerName: string, skipHint?: string, secret: SecretKind = {}): Promise<string | undefined> {
	return vscode.window.showInputBox({
		title: `${secret.what ?? 'API key'} for ${providerName}`,
		prompt: skipHint
			? `Paste the key, or leave empty to ${skipHint}. It is stored encrypted in the Plue vault.`
			: 'Paste the key. It is stored encrypted in the Plue vault and never shown again.',
		password: true,
		ignoreFocusOut: true,
		validateInput: value => validateKey(value, skipHint !== undefined) ?? (value === '' ? undefined : secret.check?.(value)),
	});
}

/** What a masked box asks for when it is not an API key ("Auth token", "Access key"), and the shape it must have. */
export interface SecretKind {
	what?: string;
	check?: (value: string) => string | undefined;
}

export function validateKey(value: string, emptyAllowed: boolean): string | undefined {
	if (value === '') {
		return emptyAllowed ? undefined : 'Enter a key (Escape cancels).';
	}
	if (/\s/.test(value)) {
		return 'A key has no spaces or line breaks: check what was pasted.';
	}
	return undefined;
}
