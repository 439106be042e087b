import * as vscode from 'vscode';
import type { JsonObject } from '../shared/protocol';
import type { Sidecar } from '../sidecar/sidecar';

/** A template's `metadata.icon` as the tree can show it: a codicon for the row's icon, or an emoji before its description. */
export interface TreeLooks {
	codicon?: string;
	emoji?: string;
	/** The template's name, for a task's tooltip (people see names, not ids). */
	name?: string;
}

/**
 * The `metadata.icon` of every template, read with `templates/list` when the sidecar starts and whenever templates
 * change. A tree draws icons in the theme's colours, so `metadata.color` is left to the panels' headers.
 */
export class TemplateLooks implements vscode.Disposable {
	private _looks = new Map<string, TreeLooks>();
	private readonly _onDidChange = new vscode.EventEmitter<void>();
	readonly onDidChange = this._onDidChange.event;
	private readonly _subscriptions: vscode.Disposable[];

	constructor(private readonly _sidecar: Sidecar) {
		this._subscriptions = [
			_sidecar.onDidStart(() => void this.load()),
			_sidecar.onNotification('templates/changed', () => void this.load()),
		];
	}

	get(templateId: string): TreeLooks {
		return this._looks.get(templateId) ?? {};
	}

	private async load(): Promise<void> {
		try {
			const templates = await this._sidecar.request('templates/list');
			this._looks = new Map(templates.filter(t => t.active && t.usable).map(t => [t.id, { ...treeLooks(t.metadata), name: t.name }]));
			this._onDidChange.fire();
		} catch {
			// The tree keeps its own icons; the next start or change reads them again.
		}
	}

	dispose(): void {
		this._onDidChange.dispose();
		for (const d of this._subscriptions) {
			d.dispose();
		}
	}
}

function treeLooks(metadata: JsonObject | undefined): TreeLooks {
	const icon = typeof metadata?.icon === 'string' ? metadata.icon.trim() : '';
	if (!icon) {
		return {};
	}
	return /^[a-z][a-z0-9-]*$/.test(icon) ? { codicon: icon } : { emoji: icon };
}
