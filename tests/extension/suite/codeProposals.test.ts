import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activatePlue, toastsSettled, toastShown } from './support';

// Apply on a code block (the webview posts `apply`, which runs plue.chat.applyCode): a diff editor to accept or reject.

suite('Plue apply code as a diff', () => {
	let folder: string;

	suiteSetup(async () => {
		await activatePlue();
		const workspace = vscode.workspace.workspaceFolders?.[0];
		assert.ok(workspace, 'the suite runs with a workspace folder');
		folder = path.join(workspace.uri.fsPath, 'apply');
		fs.mkdirSync(folder, { recursive: true });
	});

	suiteTeardown(async () => {
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
		fs.rmSync(folder, { recursive: true, force: true });
	});

	const diffTabs = (): vscode.TabInputTextDiff[] => vscode.window.tabGroups.all.flatMap(group => group.tabs)
		.map(tab => tab.input).filter((input): input is vscode.TabInputTextDiff => input instanceof vscode.TabInputTextDiff && input.modified.scheme === 'plue-proposal');

	async function apply(text: string, file?: string): Promise<vscode.Uri> {
		const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>('plue.chat.applyCode', { text, path: file });
		assert.ok(uri, 'Apply opened no diff');
		return uri;
	}

	test('a named file: the diff shows the file against the code; Accept writes and saves it', async () => {
		const file = path.join(folder, 'sum.ts');
		fs.writeFileSync(file, 'export const sum = (a, b) => a - b;\n');
		const uri = await apply('export const sum = (a: number, b: number) => a + b;\n', 'apply/sum.ts');
		const [diff] = diffTabs();
		assert.equal(diff?.original.fsPath, file, 'the left side is not the file');
		assert.equal((await vscode.workspace.openTextDocument(uri)).getText(), 'export const sum = (a: number, b: number) => a + b;\n');
		assert.equal(fs.readFileSync(file, 'utf8'), 'export const sum = (a, b) => a - b;\n', 'the file changed before Accept');
		assert.equal(await vscode.commands.executeCommand('plue.chat.acceptProposal'), 'accepted');
		assert.equal(fs.readFileSync(file, 'utf8'), 'export const sum = (a: number, b: number) => a + b;\n');
		assert.equal(diffTabs().length, 0, 'the diff stayed open');
		assert.equal(await vscode.commands.executeCommand('plue.chat.acceptProposal', uri), 'none', 'a proposal was accepted twice');
	});

	test('Accept whose save fails says so, not "accepted": the change stays in the editor to save again or undo', async () => {
		const file = path.join(folder, 'blocked.ts');
		fs.writeFileSync(file, 'export const blocked = 1;\n');
		const uri = await apply('export const blocked = 2;\n', 'apply/blocked.ts');
		// A folder where the file was: the save fails even for root (the suite's user), as a full disk or a lost mount would.
		fs.rmSync(file);
		fs.mkdirSync(file);
		try {
			const shown = await toastsSettled();
			assert.equal(await vscode.commands.executeCommand('plue.chat.acceptProposal', uri), 'unsaved');
			const warning = await toastShown(/^Plue: the change is in blocked\.ts, but saving it failed, so the file on disk is as it was\. Save it again, or undo/, shown);
			assert.equal(warning.severity, 'warning');
			const document = vscode.workspace.textDocuments.find(doc => doc.uri.fsPath === file);
			assert.equal(document?.getText(), 'export const blocked = 2;\n', 'the change is not in the editor');
			assert.ok(document?.isDirty, 'the editor does not show the change as unsaved');
			assert.ok(fs.statSync(file).isDirectory(), 'what was on disk changed');
			assert.equal(diffTabs().length, 0, 'the diff stayed open');
		} finally {
			await vscode.window.showTextDocument(vscode.Uri.file(file));
			await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
			fs.rmSync(file, { recursive: true, force: true });
		}
	});

	test('a code block without a final newline keeps the file\'s, in a named file, the whole last editor and a new file; the diff closes', async () => {
		const named = path.join(folder, 'newline.ts');
		fs.writeFileSync(named, 'export const n = 1;\n');
		assert.equal(await vscode.commands.executeCommand('plue.chat.acceptProposal', await apply('export const n = 2;', 'apply/newline.ts')), 'accepted');
		assert.equal(fs.readFileSync(named, 'utf8'), 'export const n = 2;\n');

		const whole = path.join(folder, 'whole.ts');
		fs.writeFileSync(whole, 'let w = 1;\n');
		await vscode.window.showTextDocument(vscode.Uri.file(whole));
		assert.equal(await vscode.commands.executeCommand('plue.chat.acceptProposal', await apply('let w = 2;')), 'accepted');
		assert.equal(fs.readFileSync(whole, 'utf8'), 'let w = 2;\n');

		const bare = path.join(folder, 'bare.txt');
		fs.writeFileSync(bare, 'no newline at the end');
		assert.equal(await vscode.commands.executeCommand('plue.chat.acceptProposal', await apply('still none', 'apply/bare.txt')), 'accepted');
		assert.equal(fs.readFileSync(bare, 'utf8'), 'still none', 'a file without a final newline got one');

		assert.equal(await vscode.commands.executeCommand('plue.chat.acceptProposal', await apply('fresh', 'apply/fresh.txt')), 'accepted');
		assert.equal(fs.readFileSync(path.join(folder, 'fresh.txt'), 'utf8'), 'fresh\n');
		assert.equal(diffTabs().length, 0, 'a diff stayed open');
	});

	test('Reject closes the diff and leaves the file as it was', async () => {
		const file = path.join(folder, 'keep.py');
		fs.writeFileSync(file, 'print("kept")\n');
		const uri = await apply('print("replaced")\n', 'apply/keep.py');
		assert.equal(await vscode.commands.executeCommand('plue.chat.rejectProposal', uri), 'rejected');
		assert.equal(fs.readFileSync(file, 'utf8'), 'print("kept")\n');
		assert.equal(diffTabs().length, 0);
	});

	test('no named file: the code replaces the last editor\'s selection, and only after Accept', async () => {
		const file = path.join(folder, 'select.ts');
		fs.writeFileSync(file, 'const a = 1;\nconst b = 2;\nconst c = 3;\n');
		const editor = await vscode.window.showTextDocument(vscode.Uri.file(file));
		editor.selection = new vscode.Selection(1, 0, 1, 12);
		const uri = await apply('const b = 20;');
		assert.equal((await vscode.workspace.openTextDocument(uri)).getText(), 'const a = 1;\nconst b = 20;\nconst c = 3;\n');
		assert.equal(await vscode.commands.executeCommand('plue.chat.acceptProposal', uri), 'accepted');
		assert.equal(fs.readFileSync(file, 'utf8'), 'const a = 1;\nconst b = 20;\nconst c = 3;\n');
	});

	test('a file edited after the proposal is not overwritten; a new file is created on Accept; a path outside the workspace is refused', async () => {
		const file = path.join(folder, 'moved.ts');
		fs.writeFileSync(file, 'let x = 1;\n');
		const uri = await apply('let x = 2;\n', 'apply/moved.ts');
		const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
		const edit = new vscode.WorkspaceEdit();
		edit.insert(document.uri, new vscode.Position(0, 0), '// edited meanwhile\n');
		await vscode.workspace.applyEdit(edit);
		assert.equal(await vscode.commands.executeCommand('plue.chat.acceptProposal', uri), 'stale');
		assert.equal(document.getText(), '// edited meanwhile\nlet x = 1;\n', 'the edit made meanwhile was lost');
		await document.save();

		const created = await apply('# New\n', 'apply/new/notes.txt');
		assert.equal(await vscode.commands.executeCommand('plue.chat.acceptProposal', created), 'accepted');
		assert.equal(fs.readFileSync(path.join(folder, 'new/notes.txt'), 'utf8'), '# New\n');

		assert.equal(await vscode.commands.executeCommand('plue.chat.applyCode', { text: 'x', path: '../outside.txt' }), undefined);
		assert.equal(diffTabs().length, 0);
	});
});
