import * as vscode from 'vscode';

/** Where a view's commands find the record they act on (a provider instance, an MCP server). */
export interface TargetSource<T extends { id: string }> {
	/** Reads one again by id. */
	get(id: string): Promise<T>;
	list(): Promise<T[]>;
	/** Whether a command's argument is one of the view's tree rows. */
	isRow(value: unknown): value is T;
	/** How one is offered in the quick pick. */
	item(target: T): vscode.QuickPickItem;
	/** Said when there is nothing to pick. */
	none: string;
	placeHolder: string;
	matchOnDescription?: boolean;
}

/**
 * The record a command acts on: its argument (a record id, or a tree row, read again because a row may be stale,
 * its version especially); else one the user picks among the `eligible`. Undefined when there is none or the pick
 * is dismissed.
 */
export async function resolveTarget<T extends { id: string }>(
	source: TargetSource<T>, arg: unknown, title: string, eligible: (target: T) => boolean = () => true,
): Promise<T | undefined> {
	if (typeof arg === 'string') {
		return source.get(arg);
	}
	if (source.isRow(arg)) {
		return source.get(arg.id);
	}
	const targets = (await source.list()).filter(eligible);
	if (targets.length === 0) {
		void vscode.window.showInformationMessage(source.none);
		return undefined;
	}
	const picked = await vscode.window.showQuickPick(targets.map(target => ({ ...source.item(target), target })),
		{ title, placeHolder: source.placeHolder, matchOnDescription: source.matchOnDescription });
	return picked?.target;
}
