import * as vscode from 'vscode';
import type { CatalogModel, ProviderInstance, Session } from '../shared/protocol';
import type { Sidecar } from '../sidecar/sidecar';
import { isLocal, lacksKey, modelBadges, modelPriceLine, nextTurnEstimate } from './format';
import type { InstanceNames } from './instanceNames';
import { ModelItem, modelQuickPick, ModelRows } from './modelQuickPick';

export interface PickedModel {
	instanceId: string;
	instanceName: string;
	modelId: string;
	/** The user typed an id the instance does not list ("use anyway"): calls pass `allowUnlisted`. */
	allowUnlisted?: boolean;
}

/** What the picker is for. */
export interface PickModelOptions {
	/** Titles the quick pick ("New Chat", "Change Chat Model", "Run Task"). */
	purpose: string;
	/** The chat the model is for: its model is marked current and first, and each model shows what the chat's next turn would cost on it. */
	chat?: Session;
	/** The model chosen last: first after the chat's own. */
	recent?: { instanceId: string; modelId: string; allowUnlisted?: boolean };
}

/**
 * One quick pick of "model · instance" rows: the chat's model, the one chosen last and each instance's default first,
 * then every enabled instance's models under its name, each with its prices, context window, reasoning and attachment
 * badges (and, for a chat, its next turn's cost); or an id typed by hand. Undefined when cancelled.
 */
export async function pickInstanceAndModel(sidecar: Sidecar, instanceNames: InstanceNames, options: PickModelOptions | string = 'New Chat'): Promise<PickedModel | undefined> {
	const { purpose, chat, recent } = typeof options === 'string' ? { purpose: options, chat: undefined, recent: undefined } : options;
	const instances = (await instanceNames.instances()).filter(instance => instance.enabled);
	if (instances.length === 0) {
		// A dead end no more: the button starts Add Provider Instance.
		void vscode.window.showWarningMessage('Plue: there is no enabled provider instance to chat with. Add one, then start the chat again.', 'Add Provider')
			.then(choice => choice && vscode.commands.executeCommand('plue.providers.add'));
		return undefined;
	}
	const current = chat && instances.find(i => i.id === chat.instanceId);
	const ordered = current ? [current, ...instances.filter(i => i !== current)] : instances;
	const firsts = [
		...(chat ? [{ instanceId: chat.instanceId, modelId: chat.modelId, allowUnlisted: false }] : []),
		...(recent ? [recent] : []),
		...ordered.filter(i => i.defaultModel).map(i => ({ instanceId: i.id, modelId: i.defaultModel ?? '', allowUnlisted: false })),
	];
	const rows = (instance: ProviderInstance): Promise<ModelRows> => sidecar.request('instances/models', { id: instance.id }).then(models => {
		const currentId = chat?.instanceId === instance.id ? chat.modelId : undefined;
		const item = (model: CatalogModel) => modelItem(instance, model, isLocal(instance), currentId, chat?.contextTokens ?? 0);
		const listed = models.map(item);
		// A model typed by hand last time is offered again as it was.
		const typed = firsts.filter(f => f.instanceId === instance.id && f.allowUnlisted && !models.some(m => m.id === f.modelId))
			.map(f => ({ ...item({ id: f.modelId, name: f.modelId } as CatalogModel), detail: 'Not in the instance\'s list: used anyway', allowUnlisted: true }));
		const isFirst = (row: ModelItem) => firsts.some(f => f.instanceId === instance.id && f.modelId === row.modelId);
		return { first: [...listed, ...typed].filter(isFirst), rest: listed.filter(row => !isFirst(row)) };
	});
	const picked = await modelQuickPick(purpose, ordered.map(i => ({ instance: i, label: i.displayName, description: instanceDescription(i, i === current), detail: instanceWarning(i) })), rows,
		(a, b) => firstRank(firsts, a) - firstRank(firsts, b));
	if (!picked) {
		return undefined;
	}
	const { instance, model, typedSoFar } = picked;
	if (!model) {
		const typed = await askModelId(purpose, instance, typedSoFar);
		return typed ? { instanceId: instance.id, instanceName: instance.displayName, modelId: typed, allowUnlisted: true } : undefined;
	}
	return { instanceId: instance.id, instanceName: instance.displayName, modelId: model.modelId ?? '', allowUnlisted: model.allowUnlisted };
}

/** Where a row stands among the models put first (the chat's, the last chosen, the defaults). */
function firstRank(firsts: { instanceId: string; modelId: string }[], row: ModelItem): number {
	const index = firsts.findIndex(f => f.instanceId === row.instance?.id && f.modelId === row.modelId);
	return index < 0 ? firsts.length : index;
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

function modelItem(instance: ProviderInstance, model: CatalogModel, local: boolean, currentId: string | undefined, contextTokens: number): ModelItem {
	const price = modelPriceLine(model, local);
	const estimate = nextTurnEstimate(model, contextTokens, local);
	const warning = instanceWarning(instance);
	return {
		label: model.name || model.id,
		description: [instance.displayName, model.id === currentId ? '$(check) current' : undefined, model.id, modelBadges(model)].filter(Boolean).join(' · '),
		detail: [warning, estimate ? `${price} · ${estimate}` : price].filter(Boolean).join(' · '),
		instance,
		modelId: model.id,
	};
}

async function askModelId(purpose: string, instance: ProviderInstance, typedSoFar: string): Promise<string | undefined> {
	const id = await vscode.window.showInputBox({
		title: `${purpose}: a model id ${instance.displayName} does not list`,
		prompt: 'The id exactly as the provider names it. Plue uses it without checking the list; the provider says if it does not exist.',
		placeHolder: 'e.g. my-org/fine-tuned-model',
		value: /\s/.test(typedSoFar.trim()) ? '' : typedSoFar.trim(),
		ignoreFocusOut: true,
		validateInput: value => value.trim() === '' ? 'Enter a model id (Escape cancels).' : /\s/.test(value.trim()) ? 'A model id has no spaces.' : undefined,
	});
	return id?.trim() || undefined;
}
