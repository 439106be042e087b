import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Attachment } from '../shared/protocol';
import { imageProblem, imageTypeOf, imageTypes } from '../shared/imageRules';

/** Larger text files are refused: they would fill the context window and the message. */
const maxAttachmentBytes = 256 * 1024;

/** An open dialog for one workspace file, attached with its content (an image as an image). Undefined when cancelled. */
export async function pickAttachmentFile(): Promise<Attachment | undefined> {
	const [uri] = await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: 'Attach', title: 'Attach a file' }) ?? [];
	return uri ? fileAttachment(uri) : undefined;
}

/** A file attached with its content (an image as an image); a file too large is refused with its size. */
export async function fileAttachment(uri: vscode.Uri): Promise<Attachment> {
	if (imageTypeOf(uri.path)) {
		return imageAttachment(uri);
	}
	const stat = await vscode.workspace.fs.stat(uri);
	if (stat.size > maxAttachmentBytes) {
		throw new Error(`${path.basename(uri.path)} is ${Math.round(stat.size / 1024)} KB; attachments are limited to ${maxAttachmentBytes / 1024} KB.`);
	}
	const document = await vscode.workspace.openTextDocument(uri);
	return { kind: 'file', path: vscode.workspace.asRelativePath(uri, false), content: document.getText(), language: document.languageId };
}

/** An open dialog for one PNG, JPEG, GIF or WebP image. Undefined when cancelled. */
export async function pickImageFile(): Promise<Attachment | undefined> {
	const [uri] = await vscode.window.showOpenDialog({
		canSelectMany: false, openLabel: 'Attach', title: 'Attach an image to the chat', filters: { Images: Object.keys(imageTypes) },
	}) ?? [];
	return uri ? imageAttachment(uri) : undefined;
}

/** An image file as an attachment: its bytes in base64, refused (with the reason) when too large or not an image. */
export async function imageAttachment(uri: vscode.Uri): Promise<Attachment> {
	const name = path.basename(uri.path);
	const mimeType = imageTypeOf(name) ?? '';
	const size = (await vscode.workspace.fs.stat(uri)).size;
	const problem = imageProblem(name, mimeType, size);
	if (problem) {
		throw new Error(problem);
	}
	const bytes = await vscode.workspace.fs.readFile(uri);
	return { kind: 'image', path: vscode.workspace.asRelativePath(uri, false), mimeType, data: Buffer.from(bytes).toString('base64') };
}

/** The active editor's selection (or its current line when nothing is selected) as an attachment. */
export function selectionAttachment(editor: vscode.TextEditor): Attachment {
	const selection = editor.selection;
	const range = selection.isEmpty ? editor.document.lineAt(selection.active.line).range : selection;
	// A selection ending at column 0 of a line does not include that line.
	const endLine = !selection.isEmpty && range.end.character === 0 && range.end.line > range.start.line ? range.end.line - 1 : range.end.line;
	return {
		kind: 'selection',
		path: vscode.workspace.asRelativePath(editor.document.uri, false),
		content: editor.document.getText(range),
		language: editor.document.languageId,
		range: { startLine: range.start.line + 1, endLine: endLine + 1 },
	};
}
