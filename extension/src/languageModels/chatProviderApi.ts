import * as vscode from 'vscode';

/**
 * The Language Model Chat Provider API, stable since VS Code 1.104. The extension still runs on 1.100 (its
 * `engines`), whose typings lack it, so the shapes used here are declared here and the function is looked up at
 * run time: where it is missing, Plue's models are simply not offered to other extensions.
 */
export interface ChatModelInformation {
	readonly id: string;
	readonly name: string;
	readonly family: string;
	readonly version: string;
	readonly tooltip?: string;
	readonly detail?: string;
	readonly maxInputTokens: number;
	readonly maxOutputTokens: number;
	readonly capabilities: { readonly imageInput?: boolean; readonly toolCalling?: boolean | number };
}

export interface ChatRequestMessage {
	readonly role: vscode.LanguageModelChatMessageRole;
	readonly content: readonly unknown[];
}

export interface ChatResponseOptions {
	readonly tools?: readonly vscode.LanguageModelChatTool[];
}

export type ChatResponsePart = vscode.LanguageModelTextPart | vscode.LanguageModelToolCallPart;

export interface ChatModelProvider<T extends ChatModelInformation> {
	readonly onDidChangeLanguageModelChatInformation?: vscode.Event<void>;
	provideLanguageModelChatInformation(options: { readonly silent: boolean }, token: vscode.CancellationToken): vscode.ProviderResult<T[]>;
	provideLanguageModelChatResponse(model: T, messages: readonly ChatRequestMessage[], options: ChatResponseOptions,
		progress: vscode.Progress<ChatResponsePart>, token: vscode.CancellationToken): Thenable<void>;
	provideTokenCount(model: T, text: string | ChatRequestMessage, token: vscode.CancellationToken): Thenable<number>;
}

type Register = <T extends ChatModelInformation>(vendor: string, provider: ChatModelProvider<T>) => vscode.Disposable;

/** `vscode.lm.registerLanguageModelChatProvider` where this VS Code has it. */
export function chatProviderRegistration(): Register | undefined {
	const register = (vscode.lm as { registerLanguageModelChatProvider?: Register }).registerLanguageModelChatProvider;
	return typeof register === 'function' ? register.bind(vscode.lm) : undefined;
}
