import * as vscode from 'vscode';
import type { JsonValue, LmMessage, LmPart, LmTool } from '../shared/protocol';

/**
 * Messages and parts between VS Code's Language Model API and the wire's `LmMessage`: text, tool calls and tool
 * results. Both directions use it: the sidecar asking VS Code's models, and other extensions asking Plue's.
 */
export function toVsCodeMessage(message: LmMessage): vscode.LanguageModelChatMessage {
	const parts = message.parts.map(toVsCodePart);
	return message.role === 'assistant'
		? vscode.LanguageModelChatMessage.Assistant(parts.filter(p => !(p instanceof vscode.LanguageModelToolResultPart)) as (vscode.LanguageModelTextPart | vscode.LanguageModelToolCallPart)[])
		: vscode.LanguageModelChatMessage.User(parts.filter(p => !(p instanceof vscode.LanguageModelToolCallPart)) as (vscode.LanguageModelTextPart | vscode.LanguageModelToolResultPart)[]);
}

export function toVsCodePart(part: LmPart): vscode.LanguageModelTextPart | vscode.LanguageModelToolCallPart | vscode.LanguageModelToolResultPart {
	if (part.toolCall) {
		return new vscode.LanguageModelToolCallPart(part.toolCall.callId, part.toolCall.name, asObject(part.toolCall.input));
	}
	if (part.toolResult) {
		return new vscode.LanguageModelToolResultPart(part.toolResult.callId, [new vscode.LanguageModelTextPart(part.toolResult.text)]);
	}
	return new vscode.LanguageModelTextPart(part.text ?? '');
}

/** The wire part of one of VS Code's parts; undefined for a kind the wire does not carry (data parts, unknown ones). */
export function toLmPart(part: unknown): LmPart | undefined {
	if (part instanceof vscode.LanguageModelTextPart) {
		return { text: part.value };
	}
	if (part instanceof vscode.LanguageModelToolCallPart) {
		return { toolCall: { callId: part.callId, name: part.name, input: part.input as JsonValue } };
	}
	if (part instanceof vscode.LanguageModelToolResultPart) {
		const text = part.content.map(c => (c instanceof vscode.LanguageModelTextPart ? c.value : typeof c === 'string' ? c : JSON.stringify(c))).join('');
		return { toolResult: { callId: part.callId, text } };
	}
	return undefined;
}

/** A message another extension sent (`role` is VS Code's enum), as the wire has it. */
export function toLmMessage(message: { role: vscode.LanguageModelChatMessageRole; content: readonly unknown[] }): LmMessage {
	const parts = message.content.map(toLmPart).filter((p): p is LmPart => p !== undefined);
	return { role: message.role === vscode.LanguageModelChatMessageRole.Assistant ? 'assistant' : 'user', parts };
}

export function toLmTools(tools: readonly vscode.LanguageModelChatTool[] | undefined): LmTool[] | undefined {
	return tools && tools.length > 0
		? tools.map(t => ({ name: t.name, description: t.description, inputSchema: t.inputSchema as JsonValue | undefined }))
		: undefined;
}

function asObject(value: unknown): object {
	return value !== null && typeof value === 'object' ? value : {};
}
