import * as vscode from 'vscode';
import type { InstanceNames } from '../providers/instanceNames';
import { pickInstanceAndModel, PickedModel } from '../providers/pickModel';
import type { ProviderInstance, Session } from '../shared/protocol';
import type { Sidecar } from '../sidecar/sidecar';

/** The setting naming the model a new chat starts on: "<instance name>/<model id>", or an instance name alone. */
export const defaultModelSetting = 'plue.chat.defaultModel';

export interface ModelChoice {
	instanceId: string;
	modelId: string;
	/** An id typed by hand, not in the instance's list: used anyway. */
	allowUnlisted?: boolean;
}

/**
 * Which model a new chat starts on, without asking when it can tell: the `plue.chat.defaultModel` setting, else
 * the model last chosen (for a new chat or in a chat's composer), else the default model of the only enabled
 * instance (its `defaultModel`). Only when none of these applies are the instance and model asked for.
 */
export class ChatModels {
	private static readonly lastKey = 'plue.chat.lastModel';

	constructor(private readonly _sidecar: Sidecar, private readonly _instances: InstanceNames, private readonly _state: vscode.Memento) {}

	/** The model a new chat starts on, asking only when nothing says; undefined when the user cancelled. */
	async forNewChat(): Promise<ModelChoice | undefined> {
		return await this.known() ?? this.ask('New Chat');
	}

	/** The model picker (another instance and model, for `chat` when given; the last chosen first); the answer is remembered for the next chat. */
	async ask(purpose: string, chat?: Session): Promise<PickedModel | undefined> {
		const picked = await pickInstanceAndModel(this._sidecar, this._instances, { purpose, chat, recent: this.last });
		if (picked) {
			await this.remember(picked);
		}
		return picked;
	}

	async remember(choice: ModelChoice): Promise<void> {
		await this._state.update(ChatModels.lastKey, { instanceId: choice.instanceId, modelId: choice.modelId, allowUnlisted: choice.allowUnlisted || undefined });
	}

	/** The model last chosen, if any. */
	get last(): ModelChoice | undefined {
		return this._state.get<ModelChoice>(ChatModels.lastKey);
	}

	private async known(): Promise<ModelChoice | undefined> {
		const enabled = (await this._instances.instances()).filter(instance => instance.enabled);
		const setting = vscode.workspace.getConfiguration().get<string>(defaultModelSetting, '').trim();
		if (setting) {
			const chosen = this.fromSetting(setting, enabled);
			if (chosen) {
				return chosen;
			}
			void vscode.window.showWarningMessage(
				`Plue: the setting ${defaultModelSetting} names "${setting}", which is no enabled provider instance's model. Write it as "<instance name>/<model id>".`,
				'Open Settings',
			).then(choice => choice && vscode.commands.executeCommand('workbench.action.openSettings', defaultModelSetting));
		}
		const last = this.last;
		if (last && enabled.some(instance => instance.id === last.instanceId)) {
			return last;
		}
		return enabled.length === 1 ? this.defaultOf(enabled[0]) : undefined;
	}

	/** "<instance>/<model>" where the instance is named by display name or id (the longest that fits wins); "<instance>" alone takes its default. */
	private fromSetting(setting: string, enabled: ProviderInstance[]): ModelChoice | undefined {
		const named = (instance: ProviderInstance): string | undefined =>
			[instance.displayName, instance.id].find(name => setting === name || setting.startsWith(`${name}/`));
		const matches = enabled.filter(instance => named(instance) !== undefined)
			.sort((a, b) => (named(b) ?? '').length - (named(a) ?? '').length);
		const instance = matches[0];
		if (!instance) {
			return undefined;
		}
		const modelId = setting.slice((named(instance) ?? '').length + 1);
		return modelId ? { instanceId: instance.id, modelId } : this.defaultOf(instance);
	}

	/** The instance's default model (set when it was added or edited), if it has one. */
	private defaultOf(instance: ProviderInstance): ModelChoice | undefined {
		return instance.defaultModel ? { instanceId: instance.id, modelId: instance.defaultModel } : undefined;
	}
}
