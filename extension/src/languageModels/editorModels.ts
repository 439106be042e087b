import * as vscode from 'vscode';
import { ResponseError } from 'vscode-languageclient/node';
import { ErrorCodes, type LmChatParams, type LmChatResult, type LmModelsParams, type LmModelsResult } from '../shared/protocol';
import type { Sidecar } from '../sidecar/sidecar';
import { toLmPart, toVsCodeMessage } from './lmParts';
import { plueVendor } from './plueModelProvider';
import { errorText } from '../shared/errorText';

/**
 * VS Code's models (GitHub Copilot's and other extensions') as a Plue provider: the sidecar's `lm/models` and
 * `lm/chat` requests are answered with `vscode.lm.selectChatModels` and `sendRequest`, the answer streamed back as
 * `lm/chatPart` notifications. VS Code shows its own consent dialog; cancelling the turn cancels the request.
 */
export function registerEditorModels(sidecar: Sidecar): void {
	sidecar.onRequest('lm/models', listModels);
	sidecar.onRequest('lm/chat', (params, token) => chat(sidecar, params, token));
}

async function listModels(params: LmModelsParams): Promise<LmModelsResult> {
	const models = await vscode.lm.selectChatModels(params.vendor ? { vendor: params.vendor } : {});
	// Plue's own models (offered to VS Code by plueModelProvider) would answer by asking Plue again.
	return {
		models: models.filter(m => m.vendor !== plueVendor)
			.map(m => ({ id: m.id, name: m.name, vendor: m.vendor, family: m.family, maxInputTokens: m.maxInputTokens })),
	};
}

async function chat(sidecar: Sidecar, params: LmChatParams, token: vscode.CancellationToken): Promise<LmChatResult> {
	const [model] = await vscode.lm.selectChatModels({ id: params.modelId });
	if (!model || model.vendor === plueVendor) {
		throw new ResponseError(ErrorCodes.providerError, `NotFound: VS Code offers no model '${params.modelId}' now. Is the extension that provided it (such as GitHub Copilot Chat) installed, enabled and signed in?`);
	}
	const options: vscode.LanguageModelChatRequestOptions = {
		justification: params.justification,
		tools: params.tools?.map(t => ({ name: t.name, description: t.description ?? '', inputSchema: typeof t.inputSchema === 'object' && t.inputSchema !== null ? t.inputSchema : undefined })),
	};
	try {
		const response = await model.sendRequest(params.messages.map(toVsCodeMessage), options, token);
		for await (const part of response.stream) {
			const lmPart = toLmPart(part);
			if (lmPart && !token.isCancellationRequested) {
				await sidecar.notify('lm/chatPart', { requestId: params.requestId, part: lmPart });
			}
		}
		return {};
	} catch (error) {
		// LanguageModelError's code (NoPermissions, NotFound, Blocked) leads the message: the sidecar tells the kinds apart by it.
		const code = error instanceof vscode.LanguageModelError ? error.code : 'Failed';
		const message = errorText(error);
		throw new ResponseError(ErrorCodes.providerError, `${code}: ${model.name} (${model.vendor}) did not answer: ${message}`);
	}
}
