import * as vscode from 'vscode';
import type { Sidecar } from '../sidecar/sidecar';
import { askForm, type FormAsker } from './elicitationForm';

/**
 * An MCP server's question during a tool call (`mcp/elicit`): VS Code's quick picks and input boxes, one field at a
 * time, titled with the server's name. Escape at any step cancels; the server tells the model what that means.
 */
export function registerMcpElicitation(sidecar: Sidecar, log: vscode.OutputChannel): void {
	sidecar.onRequest('mcp/elicit', async (params, token) => {
		log.appendLine(`MCP server ${params.title} asks: ${params.message}`);
		const answer = await askForm(params, vscodeAsker(token));
		log.appendLine(`MCP server ${params.title}: ${answer.action}`);
		return answer;
	});
}

function vscodeAsker(token: vscode.CancellationToken): FormAsker {
	return {
		pick: async step => (await vscode.window.showQuickPick(step.items, { title: step.title, placeHolder: step.prompt, ignoreFocusOut: true }, token))?.label,
		input: step => Promise.resolve(vscode.window.showInputBox({
			title: step.title, prompt: step.prompt, value: step.value, ignoreFocusOut: true, validateInput: step.validate,
		}, token)),
	};
}
