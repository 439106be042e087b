/** Formatting shared by the host (tree, status bar) and the webview: no vscode, no runtime import. */
import type { CostSource } from './protocol';

/** Whether a cost is unknown (a model without a price): the sidecar sends `null`, which never means $0. */
export function isCostUnknown(costUsd: number | null): costUsd is null {
	return costUsd === null;
}

/** Where a cost came from, as the sidecar names it (the generated contract's). */
export type CostSourceName = CostSource;

/**
 * A cost for people: an unknown cost is said to be unknown, never shown as $0; a total with an unknown part is
 * "at least" its known sum; an estimate (a stopped reply) is marked "~".
 */
export function formatCost(costUsd: number | null, sources: readonly CostSourceName[] | undefined = []): string {
	if (isCostUnknown(costUsd)) {
		return 'cost unknown';
	}
	// Chats often cost fractions of a cent: below a dollar, show four decimals.
	const usd = `$${costUsd > 0 && costUsd < 1 ? costUsd.toFixed(4) : costUsd.toFixed(2)}`;
	return sources.includes('unknown') ? `at least ${usd}` : sources.includes('estimate') ? `~${usd}` : usd;
}

/**
 * A task's total as the tree, its panel and `plue task list` show it: what its spend cap counted when some call had no
 * known price (those tokens at the task's unpriced rate), else its total.
 */
export function formatTaskCost(task: { totalCostUsd: number | null; totalCostSources: readonly CostSourceName[]; capCountedUsd?: number }): string {
	return task.capCountedUsd !== undefined ? `${formatCost(task.capCountedUsd)} counted by its cap` : formatCost(task.totalCostUsd, task.totalCostSources);
}

const sourceWords: Record<CostSourceName, string> = {
	catalog: 'catalog prices × the usage the provider reported',
	provider: "the provider's own figure",
	local: 'a local model: $0',
	estimate: 'estimated from the text of a stopped or cut reply (the provider reported no usage)',
	unknown: 'some calls have no known price and are not counted',
};

/** Where a cost came from, one source a line, for a hover. */
export function describeCostSources(sources: readonly CostSourceName[] | undefined): string {
	return !sources || sources.length === 0 ? 'Nothing spent yet' : `Cost from: ${sources.map((s) => sourceWords[s]).join('; ')}`;
}

/** 1234 → "1.2k", 2_500_000 → "2.5M". */
export function formatTokens(count: number): string {
	if (count >= 1_000_000) {
		return `${(count / 1_000_000).toFixed(1)}M`;
	}
	if (count >= 1_000) {
		return `${(count / 1_000).toFixed(1)}k`;
	}
	return String(count);
}

/** A duration for people: "45s", "3m 05s", "2h 07m". */
export function formatElapsed(ms: number): string {
	const seconds = Math.max(0, Math.floor(ms / 1000));
	if (seconds < 60) {
		return `${seconds}s`;
	}
	const minutes = Math.floor(seconds / 60);
	if (minutes < 60) {
		return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`;
	}
	return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}

/** What a checkpoint's turn did to the workspace, in a few words: "3 files changed: 2 added, 1 modified". */
export function describeFileChanges(counts: { added: number; modified: number; deleted: number }): string {
	const total = counts.added + counts.modified + counts.deleted;
	const said = ([['added', counts.added], ['modified', counts.modified], ['deleted', counts.deleted]] as const)
		.filter(([, n]) => n > 0).map(([what, n]) => `${n} ${what}`);
	return `${total} ${total === 1 ? 'file' : 'files'} changed${said.length > 0 ? `: ${said.join(', ')}` : ''}`;
}

/** A sandbox policy's line without its "(not sandboxed)" mark, which a card or header says in its own words. */
export function withoutSandboxMark(policy: string): string {
	return policy.replace(/ \(not sandboxed\)$/, '');
}
