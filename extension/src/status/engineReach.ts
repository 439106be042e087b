import * as vscode from 'vscode';
import type { Sidecar } from '../sidecar/sidecar';
import type { EngineReachInfo } from '../shared/protocol';

/** How often the engines are asked again while the window is open: an engine started or stopped shows within it. */
const askEveryMs = 120_000;

/**
 * Whether the Docker engines answer (`engines/reach`), for the status bar: asked when the sidecar starts, when an
 * engine record changes, and every two minutes; "2 engines, 1 unreachable", or nothing when none is added.
 */
export class EngineReach implements vscode.Disposable {
	private readonly _changed = new vscode.EventEmitter<void>();
	readonly onDidChange = this._changed.event;
	private _engines: EngineReachInfo[] = [];
	private readonly _subscriptions: vscode.Disposable[];
	private readonly _timer: ReturnType<typeof setInterval>;

	constructor(private readonly _sidecar: Sidecar) {
		this._subscriptions = [_sidecar.onNotification('codex/changed', changed => {
			if (changed.kind === 'docker-engine') {
				this.refresh();
			}
		})];
		this._timer = setInterval(() => _sidecar.state.kind === 'running' && this.refresh(), askEveryMs);
	}

	get engines(): readonly EngineReachInfo[] {
		return this._engines;
	}

	get summary(): string | undefined {
		return formatEngines(this._engines);
	}

	refresh(): void {
		this._sidecar.request('engines/reach').then(result => {
			this._engines = result.engines;
			this._changed.fire();
		}, () => { /* an older sidecar, or one that stopped: the summary stays as it was */ });
	}

	dispose(): void {
		clearInterval(this._timer);
		for (const s of this._subscriptions) {
			s.dispose();
		}
		this._changed.dispose();
	}
}

/** "1 engine", "2 engines, 1 unreachable (Build box)"; undefined when none is added. */
export function formatEngines(engines: readonly EngineReachInfo[]): string | undefined {
	if (engines.length === 0) {
		return undefined;
	}
	const down = engines.filter(e => !e.ok);
	return `${engines.length} Docker engine${engines.length === 1 ? '' : 's'}${down.length ? `, ${down.length} unreachable (${down.map(e => e.engine).join(', ')})` : ''}`;
}
