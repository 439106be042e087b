import * as vscode from 'vscode';
import type { CatalogModel, ProviderInstance, Session } from '../shared/protocol';
import type { Sidecar } from '../sidecar/sidecar';
import { isLocal, lacksKey, modelBadges, modelPriceLine, nextTurnEstimate } from './format';
import type { InstanceNames } from './instanceNames';

export interface PickedModel {
	instanceId: string;
	instanceName: string;
	modelId: string;
	/** The user typed an id the instance does not list ("use anyway"): calls pass `allowUnlisted`. */
	allowUnlisted?: boolean;
}

/** What the pickers are for. */
export interface PickModelOptions {
	/** Titles both quick picks ("New Chat", "Change Chat Model", "Run Task"). */
	purpose: string;
	/** The chat the model is for: its model is marked current, and each model shows what the chat's next turn would cost on it. */
	chat?: Session;
}

interface ModelItem extends vscode.QuickPickItem {
	modelId?: string;
}

/** The item that asks for an id the list lacks. */
const unlistedItem: ModelItem = {
	label: '$(edit) Use a model id not listed…',
	detail: 'Type any id the provider serves (a new or custom model); it is used anyway',
	alwaysShow: true,
};

/**
 * Two quick picks: an enabled provider instance, then one of its models with its prices, context window, reasoning
 * and attachment badges (and, for a chat, its next turn's cost), or an id typed by hand. Undefined when cancelled.
 */
export async function pickInstanceAndModel(sidecar: Sidecar, instanceNames: InstanceNames, options: PickModelOptions | string = 'New Chat'): Promise<PickedModel | undefined> {
	const { purpose, chat } = typeof options === 'string' ? { purpose: options, chat: undefined } : options;
	const instances = (await instanceNames.instances(true)).filter(instance => instance.enabled);
	if (instances.length === 0) {
		// A dead end no more: the button starts Add Provider Instance.
		void vscode.window.showWarningMessage('Plue: there is no enabled provider instance to chat with. Add one, then start the chat again.', 'Add Provider')
			.then(choice => choice && vscode.commands.executeCommand('plue.providers.add'));
		return undefined;
	}
	const current = chat && instances.find(i => i.id === chat.instanceId);
	const ordered = current ? [current, ...instances.filter(i => i !== current)] : instances;
	const picked = await twoSteps(purpose, ordered.map(i => ({ label: i.displayName, description: instanceDescription(i, i === current), detail: instanceWarning(i), instance: i })),
		instance => sidecar.request('instances/models', { id: instance.id }).then(models => {
			const currentId = chat?.instanceId === instance.id ? chat.modelId : undefined;
			return [
				...currentFirst(models, currentId).map(m => modelItem(m, isLocal(instance), currentId, chat?.contextTokens ?? 0)),
				{ label: '', kind: vscode.QuickPickItemKind.Separator },
				unlistedItem,
			];
		}));
	if (!picked) {
		return undefined;
	}
	const { instance, model } = picked;
	if (model === unlistedItem) {
		const typed = await askModelId(purpose, instance);
		return typed ? { instanceId: instance.id, instanceName: instance.displayName, modelId: typed, allowUnlisted: true } : undefined;
	}
	return model.modelId ? { instanceId: instance.id, instanceName: instance.displayName, modelId: model.modelId } : undefined;
}

interface InstanceItem extends vscode.QuickPickItem {
	instance: ProviderInstance;
}

/**
 * The instance, then its model, in one quick pick whose items change: it never closes between the steps, so the
 * focus never goes back to a chat page in between (a page taking it back late closed the second box). Back returns
 * to the instances; Escape cancels.
 */
function twoSteps(purpose: string, instances: InstanceItem[], models: (instance: ProviderInstance) => Promise<ModelItem[]>)
	: Promise<{ instance: ProviderInstance; model: ModelItem } | undefined> {
	const box = vscode.window.createQuickPick<InstanceItem | ModelItem>();
	box.matchOnDescription = true;
	box.matchOnDetail = true;
	box.ignoreFocusOut = true;
	let instance: ProviderInstance | undefined;
	let loading = 0;
	const showInstances = () => {
		instance = undefined;
		loading++;
		box.busy = false;
		box.title = `${purpose}: Provider`;
		box.placeholder = 'Pick a provider instance';
		box.buttons = [];
		box.value = '';
		box.items = instances;
	};
	const showModels = (chosen: ProviderInstance) => {
		instance = chosen;
		const step = ++loading;
		box.title = `${purpose}: ${chosen.displayName} model`;
		box.placeholder = 'Pick a model (prices per million tokens)';
		box.buttons = [vscode.QuickInputButtons.Back];
		box.value = '';
		box.items = [];
		box.busy = true;
		models(chosen).then(items => {
			if (step === loading) {
				box.items = items;
				box.busy = false;
			}
		}, (error: unknown) => {
			if (step === loading) {
				box.busy = false;
				box.items = [{ label: '$(error) The models could not be listed', detail: error instanceof Error ? error.message : String(error), alwaysShow: true }, unlistedItem];
			}
		});
	};
	return new Promise(resolve => {
		box.onDidTriggerButton(button => button === vscode.QuickInputButtons.Back && showInstances());
		box.onDidAccept(() => {
			const item = box.selectedItems[0];
			if (!item) {
				return;
			}
			if (!instance) {
				showModels((item as InstanceItem).instance);
			} else if ((item as ModelItem).modelId || item === unlistedItem) {
				resolve({ instance, model: item });
				box.hide();
			}
		});
		box.onDidHide(() => {
			resolve(undefined);
			box.dispose();
		});
		showInstances();
		box.show();
	});
}

function instanceDescription(instance: ProviderInstance, current: boolean): string {
	return [current ? 'current' : undefined, instance.catalogProviderId, isLocal(instance) ? 'local' : undefined].filter(Boolean).join(' · ');
}

/** Why the instance may not answer: no key, or its last test failed. */
function instanceWarning(instance: ProviderInstance): string | undefined {
	if (lacksKey(instance)) {
		return '$(key) no API key';
	}
	return instance.lastTest?.ok === false ? `$(error) last test failed: ${instance.lastTest.error ?? 'no reason given'}` : undefined;
}

/** The chat's model first, where the user looks for it. */
function currentFirst(models: CatalogModel[], currentId: string | undefined): CatalogModel[] {
	const current = models.find(m => m.id === currentId);
	return current ? [current, ...models.filter(m => m !== current)] : models;
}

function modelItem(model: CatalogModel, local: boolean, currentId: string | undefined, contextTokens: number): ModelItem {
	const price = modelPriceLine(model, local);
	const estimate = nextTurnEstimate(model, contextTokens, local);
	return {
		label: model.name || model.id,
		description: [model.id === currentId ? '$(check) current' : undefined, model.id, modelBadges(model)].filter(Boolean).join(' · '),
		detail: estimate ? `${price} · ${estimate}` : price,
		modelId: model.id,
	};
}

async function askModelId(purpose: string, instance: ProviderInstance): Promise<string | undefined> {
	const id = await vscode.window.showInputBox({
		title: `${purpose}: a model id ${instance.displayName} does not list`,
		prompt: 'The id exactly as the provider names it. Plue uses it without checking the list; the provider says if it does not exist.',
		placeHolder: 'e.g. my-org/fine-tuned-model',
		ignoreFocusOut: true,
		validateInput: value => value.trim() === '' ? 'Enter a model id (Escape cancels).' : /\s/.test(value.trim()) ? 'A model id has no spaces.' : undefined,
	});
	return id?.trim() || undefined;
}
