/**
 * Waits for the notifications the sidecar sends right after another: a feature's own event (`session/updated`,
 * `task/updated`) follows the `codex/changed` of the same commit, and a store that waits for it asks nothing.
 */
export function settle(ms = 300): Promise<void> {
	return new Promise(resolve => setTimeout(resolve, ms));
}
