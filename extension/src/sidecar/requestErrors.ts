/** How a failed sidecar request is told to the user. No vscode imports. */
import { errorText } from '../shared/errorText';
import { ErrorCodes } from '../shared/protocol';

/** A request made while no sidecar runs: its message says why; a toast of it offers Restart Sidecar. */
export class SidecarNotRunning extends Error {}

/** The `{field: message}` a -32602 from the sidecar's record validation carries in `data.fields`, if this is one. */
export function invalidFields(error: unknown): Record<string, string> | undefined {
	if (typeof error !== 'object' || error === null) {
		return undefined;
	}
	const { code, data } = error as { code?: unknown; data?: unknown };
	if (code !== ErrorCodes.invalidParams || typeof data !== 'object' || data === null) {
		return undefined;
	}
	const fields = (data as { fields?: unknown }).fields;
	if (typeof fields !== 'object' || fields === null) {
		return undefined;
	}
	const entries = Object.entries(fields).filter((entry): entry is [string, string] => typeof entry[1] === 'string');
	return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

/**
 * "Could not <action>: <reason>". A validation error names each refused field by its label
 * ("Environment: [0] must match …") instead of the sidecar's one-line summary of field names.
 */
export function describeRequestError(action: string, error: unknown, labels: Readonly<Record<string, string>> = {}): string {
	const fields = invalidFields(error);
	if (!fields) {
		return `Could not ${action}: ${errorText(error)}`;
	}
	// An array item's message starts with its index: "[0] does not match…" reads "item 1 does not match…".
	const problems = Object.entries(fields).map(([field, message]) =>
		`${labels[field] ?? field} ${message.replace(/^\[(\d+)\]/, (_, i: string) => `item ${Number(i) + 1}`)}`);
	return `Could not ${action}. The sidecar refused ${problems.length === 1 ? 'a field' : `${problems.length} fields`}: ${problems.join('; ')}.`;
}

/** What the window says of a store a newer Plue wrote (-33006): the sidecar's words, the store's path, the export to run. */
export interface StoreNewerNotice {
	message: string;
	store: string;
	exportCommand: string;
}

/** The notice for a -33006 refusal, or undefined for any other error. */
export function storeNewerNotice(error: unknown): StoreNewerNotice | undefined {
	if (typeof error !== 'object' || error === null) {
		return undefined;
	}
	const { code, data, message } = error as { code?: unknown; data?: unknown; message?: unknown };
	if (code !== ErrorCodes.storeNewer || typeof message !== 'string') {
		return undefined;
	}
	const store = typeof data === 'object' && data !== null && typeof (data as { store?: unknown }).store === 'string' ? (data as { store: string }).store : '';
	return { message, store, exportCommand: 'plue sessions export --all --out plue-sessions.json' };
}
