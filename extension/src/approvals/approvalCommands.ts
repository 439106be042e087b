import * as vscode from 'vscode';
import type { ApprovalChoice } from '../shared/approvalPrompt';
import { answerChoice, ApprovalDeps } from './approvalActions';
import { showError } from '../sidecar/commandErrors';

/** `plue.approval.answer [id, choice]`: what the approval notification's links run. Returns whether it answered. */
export function registerApprovalCommands(deps: ApprovalDeps): vscode.Disposable {
	return vscode.commands.registerCommand('plue.approval.answer', (id: string, choice: ApprovalChoice) => answerChoice(deps, id, choice).catch((error: unknown) => {
		showError('answer the approval', error);
		return undefined;
	}));
}
