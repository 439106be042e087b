import * as path from 'path';
import * as vscode from 'vscode';

/**
 * "Exported My-gateway.json." with Open and Reveal: a file the user just saved is named by its file name, never by
 * its absolute path (which says where the machine keeps it, not what was done); the buttons take them to it.
 */
export async function showFileSaved(what: string, file: vscode.Uri): Promise<void> {
	const choice = await vscode.window.showInformationMessage(`${what} ${path.basename(file.fsPath)}.`, 'Open', 'Reveal');
	if (choice === 'Open') {
		await vscode.window.showTextDocument(file);
	} else if (choice === 'Reveal') {
		await vscode.commands.executeCommand('revealFileInOS', file);
	}
}
