import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { allModelsKey } from '../shared/modelsKey';
import type { LmInstanceModel, LmPartParams, ProviderInstance } from '../shared/protocol';
import type { Sidecar } from '../sidecar/sidecar';
import { chatProviderRegistration, type ChatModelInformation, type ChatModelProvider, type ChatRequestMessage, type ChatResponsePart } from './chatProviderApi';
import { toLmMessage, toLmTools, toVsCodePart } from './lmParts';

/** The vendor Plue's models carry in VS Code (`languageModelChatProviders` in package.json). */
export const plueVendor = 'plue';

interface PlueModel extends ChatModelInformation {
	readonly instanceId: string;
	readonly modelId: string;
}

/**
 * Offers the models of the user's Plue instances (Claude Code, Ollama, any configured provider) in VS Code's model
 * picker, so Copilot Chat and other extensions can use them. Each request goes through the sidecar (`lm/respond`):
 * the instance's vault key, retries and timeouts; the cost lands in the "Plue" output. VS Code before 1.104 has no
 * such API: nothing is registered there.
 *
 * VS Code is told the list changed (and asks `lm/instanceModels` again) when the sidecar starts, and when an instance
 * changes in a part that decides its models (`allModelsKey`): a save of a timeout or a fallback, a test, asks nothing.
 */
export function registerPlueModels(sidecar: Sidecar, instances: PlueModelSource, log: vscode.LogOutputChannel): vscode.Disposable[] {
	const register = chatProviderRegistration();
	if (!register) {
		log.info('This VS Code has no Language Model Chat Provider API (1.104 or later): Plue\'s models are not offered to other extensions.');
		return [];
	}
	const changed = new vscode.EventEmitter<void>();
	/** The models' key VS Code last heard of. */
	let told: string | undefined;
	const parts = new PartRouter(sidecar);
	const provider: ChatModelProvider<PlueModel> = {
		onDidChangeLanguageModelChatInformation: changed.event,
		provideLanguageModelChatInformation: async () => {
			if (sidecar.state.kind !== 'running') {
				return [];
			}
			const { models } = await sidecar.request('lm/instanceModels');
			return models.map(information);
		},
		provideLanguageModelChatResponse: async (model, messages, options, progress, token) => {
			const requestId = randomUUID();
			const stop = parts.route(requestId, part => progress.report(toVsCodePart(part) as ChatResponsePart));
			try {
				const result = await sidecar.requestCancellable('lm/respond', {
					requestId, instanceId: model.instanceId, modelId: model.modelId,
					messages: messages.map(toLmMessage), tools: toLmTools(options.tools),
				}, token);
				const cost = result.costUsd === undefined || result.costUsd === null ? 'cost unknown' : `$${result.costUsd.toFixed(4)}`;
				log.info(`${model.detail ?? ''} ${model.name}: ${result.usage.input} tokens in, ${result.usage.output} out, ${cost} (asked through VS Code's model picker)`);
			} finally {
				stop();
			}
		},
		// The sidecar does not tokenize: about four characters a token is the usual estimate.
		provideTokenCount: (_model, text) => Promise.resolve(Math.ceil(textOf(text).length / 4)),
	};
	return [
		register(plueVendor, provider),
		changed,
		parts,
		// A new sidecar, or instances added, changed or removed: VS Code asks for the list again.
		sidecar.onDidStart(() => changed.fire()),
		instances.onDidChange(async () => {
			const key = allModelsKey(await instances.instances());
			if (key !== told) {
				told = key;
				changed.fire();
			}
		}),
	];
}

/** The instances as the extension's store holds them (no request), and when they change. */
export interface PlueModelSource {
	readonly onDidChange: vscode.Event<void>;
	instances(): Promise<ProviderInstance[]>;
}

function information(m: LmInstanceModel): PlueModel {
	return {
		id: `${m.instanceId}/${m.modelId}`,
		name: m.modelName,
		family: m.modelId,
		version: m.modelId,
		detail: m.instanceName,
		tooltip: `${m.modelName} through Plue's instance "${m.instanceName}"`,
		maxInputTokens: m.contextWindow ?? 128_000,
		maxOutputTokens: m.maxOutput ?? 8_192,
		capabilities: { toolCalling: true, imageInput: false },
		instanceId: m.instanceId,
		modelId: m.modelId,
	};
}

function textOf(text: string | ChatRequestMessage): string {
	return typeof text === 'string' ? text : toLmMessage(text).parts.map(p => p.text ?? JSON.stringify(p)).join('');
}

/** Hands each `lm/responsePart` to the request it belongs to; one listener for all requests. */
class PartRouter implements vscode.Disposable {
	private readonly _routes = new Map<string, (part: LmPartParams['part']) => void>();
	private readonly _listener: vscode.Disposable;

	constructor(sidecar: Sidecar) {
		this._listener = sidecar.onNotification('lm/responsePart', p => this._routes.get(p.requestId)?.(p.part));
	}

	route(requestId: string, report: (part: LmPartParams['part']) => void): () => void {
		this._routes.set(requestId, report);
		return () => this._routes.delete(requestId);
	}

	dispose(): void {
		this._listener.dispose();
		this._routes.clear();
	}
}
