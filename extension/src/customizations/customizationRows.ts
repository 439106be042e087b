import type { CustomizationItem, CustomizationKind } from '../shared/protocol';

/** A row of the Customizations view: the trust row, a kind's group, or one customization. */
export type CustomizationRow =
	| { row: 'trust'; count: number }
	| { row: 'kind'; kind: CustomizationKind; items: CustomizationItem[] }
	| { row: 'item'; item: CustomizationItem };

/** The kinds in the order of the view, each with its name and icon. */
export const kinds: readonly { kind: CustomizationKind; label: string; icon: string }[] = [
	{ kind: 'instructions', label: 'Instructions', icon: 'book' },
	{ kind: 'skill', label: 'Skills', icon: 'lightbulb' },
	{ kind: 'command', label: 'Commands', icon: 'terminal' },
	{ kind: 'agent', label: 'Agents', icon: 'person' },
	{ kind: 'agentHook', label: 'Agent hooks', icon: 'debug-line-by-line' },
	{ kind: 'mcpServer', label: 'MCP servers', icon: 'server' },
];

/** The reason of an item ignored because the workspace is not trusted (a user's MCP file's too). */
export const untrusted = /^the workspace is not trusted/;

/**
 * The view's top rows: a kind's group for each kind with items, in the view's order, led by the "Trust this
 * workspace…" row (with how many items it would bring) when any is ignored because the workspace is not trusted.
 * Apart from the tree (which needs VS Code) so it can be tested as it is.
 */
export function rootRows(items: CustomizationItem[]): CustomizationRow[] {
	const notTrusted = items.filter(i => untrusted.test(i.reason ?? '')).length;
	const groups: CustomizationRow[] = kinds
		.map(({ kind }) => ({ row: 'kind' as const, kind, items: items.filter(i => i.kind === kind) }))
		.filter(group => group.items.length > 0);
	return notTrusted > 0 ? [{ row: 'trust', count: notTrusted }, ...groups] : groups;
}
