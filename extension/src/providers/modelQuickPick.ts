import * as vscode from 'vscode';
import type { ProviderInstance } from '../shared/protocol';
import { errorText } from '../shared/errorText';

/** A row of the model picker: a model of an instance, or (`typeFor`) the way to type an id for an instance that could not list its models. */
export interface ModelItem extends vscode.QuickPickItem {
	instance?: ProviderInstance;
	modelId?: string;
	/** An id typed by hand before, not in the instance's list. */
	allowUnlisted?: boolean;
	typeFor?: ProviderInstance;
}

export interface InstanceItem extends vscode.QuickPickItem {
	instance: ProviderInstance;
}

/** An instance's rows: those put first (the chat's, the last chosen, its default) and the rest. */
export interface ModelRows {
	first: ModelItem[];
	rest: ModelItem[];
}

/** The picker's answer: a model row, or an instance for which to type an id (`model` undefined), with what was typed in the filter. */
export interface ModelAnswer {
	instance: ProviderInstance;
	model?: ModelItem;
	typedSoFar: string;
}

/** The row that asks for an id no list has. */
const unlistedItem: ModelItem = {
	label: '$(edit) Use a model id not listed…',
	detail: 'Type any id the provider serves (a new or custom model); it is used anyway',
	alwaysShow: true,
};

/**
 * One quick pick of every instance's models, listed at once and shown as each instance answers (an instance that
 * cannot list its models gets a row saying why, which asks for an id); the rows `rank` puts first head the list.
 * "Use a model id not listed…" asks which instance serves it, in the same box (Back returns to the models), so the
 * focus never goes back to a chat page in between. Escape cancels.
 */
export function modelQuickPick(purpose: string, instances: InstanceItem[], rows: (instance: ProviderInstance) => Promise<ModelRows>,
	rank: (a: ModelItem, b: ModelItem) => number): Promise<ModelAnswer | undefined> {
	const box = vscode.window.createQuickPick<ModelItem | InstanceItem>();
	box.matchOnDescription = true;
	box.matchOnDetail = true;
	box.ignoreFocusOut = true;
	const listed = new Map<ProviderInstance, ModelRows>();
	let pending = instances.length;
	let choosingInstance = false;
	let typedSoFar = '';
	const showModels = () => {
		choosingInstance = false;
		box.title = purpose;
		box.placeholder = 'Pick a model (model · provider instance; prices per million tokens)';
		box.buttons = [];
		box.busy = pending > 0;
		render();
	};
	const render = () => {
		if (choosingInstance) {
			return;
		}
		const active = box.activeItems;
		const first = [...listed.values()].flatMap(r => r.first).sort(rank);
		const items: ModelItem[] = [
			...(first.length > 0 ? [{ label: 'Recent and default', kind: vscode.QuickPickItemKind.Separator }, ...first] : []),
			...instances.flatMap(({ instance }) => {
				const rest = listed.get(instance)?.rest ?? [];
				return rest.length > 0 ? [{ label: instance.displayName, kind: vscode.QuickPickItemKind.Separator }, ...rest] : [];
			}),
			{ label: '', kind: vscode.QuickPickItemKind.Separator },
			unlistedItem,
		];
		box.items = items;
		// An instance answering late does not move the row the user is on.
		const kept = active.filter(item => items.includes(item));
		if (kept.length > 0) {
			box.activeItems = kept;
		}
	};
	for (const { instance } of instances) {
		rows(instance).then(found => listed.set(instance, found), (error: unknown) => listed.set(instance, { first: [], rest: [{
			label: '$(error) The models could not be listed',
			description: instance.displayName,
			detail: `${errorText(error)} · Enter to type a model id`,
			typeFor: instance,
		}] })).finally(() => {
			pending--;
			box.busy = pending > 0 && !choosingInstance;
			render();
		});
	}
	return new Promise(resolve => {
		const answer = (value: ModelAnswer) => {
			resolve(value);
			box.hide();
		};
		box.onDidTriggerButton(button => {
			if (button === vscode.QuickInputButtons.Back) {
				box.value = typedSoFar;
				showModels();
			}
		});
		box.onDidAccept(() => {
			const item = box.selectedItems[0];
			if (!item) {
				return;
			}
			if (choosingInstance) {
				answer({ instance: (item as InstanceItem).instance, typedSoFar });
			} else if ((item as ModelItem).modelId && item.instance) {
				answer({ instance: item.instance, model: item, typedSoFar: '' });
			} else if ((item as ModelItem).typeFor) {
				answer({ instance: (item as ModelItem).typeFor as ProviderInstance, typedSoFar: box.value });
			} else if (item === unlistedItem) {
				typedSoFar = box.value;
				if (instances.length === 1) {
					answer({ instance: instances[0].instance, typedSoFar });
					return;
				}
				choosingInstance = true;
				box.title = `${purpose}: the provider instance that serves it`;
				box.placeholder = 'Pick the provider instance to call with a model id of your own';
				box.buttons = [vscode.QuickInputButtons.Back];
				box.busy = false;
				box.value = '';
				box.items = instances;
			}
		});
		box.onDidHide(() => {
			resolve(undefined);
			box.dispose();
		});
		showModels();
		box.show();
	});
}
