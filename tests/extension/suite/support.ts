/** Helpers shared by the integration suites. */
// Tests are compiled file by file (not bundled): import only vscode, node and ./support here; extension code is reached through the PlueApi.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PlueApi } from '../host/plueApi';
import { askRunner } from './runner';

export const extensionId = 'plue.plue-vscode';

export async function activatePlue(): Promise<PlueApi> {
	const extension = vscode.extensions.getExtension<PlueApi>(extensionId);
	assert.ok(extension, `${extensionId} is not installed in this host`);
	return extension.activate();
}

export async function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Error(`Timed out after ${ms} ms waiting for ${what}`)), ms);
	});
	try {
		return await Promise.race([promise, timeout]);
	} finally {
		clearTimeout(timer);
	}
}

export async function until(condition: () => boolean): Promise<void> {
	while (!condition()) {
		await new Promise(resolve => setTimeout(resolve, 100));
	}
}

/**
 * Presses Enter on the quick input every `everyMs` until `command` settles: for a command with one question, whose
 * pick or box shows after a request, and on a loaded machine later than any fixed pause would allow. A pick whose items
 * load slowly wants a longer `everyMs`, so that Enter does not meet it still empty.
 */
export async function enterUntilSettled<T>(command: Thenable<T>, what: string, { ms = 10_000, everyMs = 250 } = {}): Promise<T> {
	let settled = false;
	const done = Promise.resolve(command).finally(() => { settled = true; });
	for (let waited = 0; !settled && waited < ms; waited += everyMs) {
		await new Promise(resolve => setTimeout(resolve, everyMs));
		if (!settled) {
			await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
		}
	}
	return within(1000, done, what);
}

/** The quick inputs the workbench shows, followed from when this was made (runInCodeServer.mjs counts them in the page). */
export interface QuickInputs {
	/** Waits for the next one (each step of a command is one), its items loaded: the state a command's Enter needs. */
	shown(what: string): Promise<void>;
}

/** Follows the quick inputs shown from now: make it before the command that opens them. */
export async function quickInputs(): Promise<QuickInputs> {
	let seen = (await askRunner<{ count: number }>('quickInput', {}))?.count;
	assert.ok(seen !== undefined, 'PLUE_TEST_EVIDENCE_URL is not set: run the suite through tests/extension/runInCodeServer.mjs');
	return {
		async shown(what) {
			const answer = await askRunner<{ count: number }>('quickInput', { after: seen }).catch((error: Error) => {
				throw new Error(`${what} did not show: ${error.message}`);
			});
			seen = answer?.count;
		},
	};
}

/** The requests the window sends the sidecar, by method, in order: every one, whoever in the extension sends it. */
export interface RequestCount {
	readonly sent: string[];
	/** Ends the count (the client sends as before). */
	stop(): void;
}

/**
 * Counts every request the window sends the running sidecar from now on, at the LanguageClient's own `sendRequest`
 * (the one door `Sidecar.request` and `requestCancellable` go through): no filter by method. A test that sends its own
 * requests while counting sees them too.
 */
export function countRequests(api: PlueApi): RequestCount {
	const client = api.client;
	assert.ok(client, 'the sidecar is not running');
	const sent: string[] = [];
	const original: unknown = Object.getOwnPropertyDescriptor(client, 'sendRequest')?.value;
	const hadOwn = Object.prototype.hasOwnProperty.call(client, 'sendRequest');
	const own = client.sendRequest.bind(client) as (...args: unknown[]) => unknown;
	const counting = (...args: unknown[]): unknown => {
		const method = args[0];
		sent.push(typeof method === 'string' ? method : (method as { method?: string }).method ?? String(method));
		return own(...args);
	};
	Object.defineProperty(client, 'sendRequest', { value: counting, configurable: true, writable: true });
	return {
		sent,
		stop: () => {
			if (hadOwn) {
				Object.defineProperty(client, 'sendRequest', { value: original, configurable: true, writable: true });
			} else {
				delete (client as unknown as { sendRequest?: unknown }).sendRequest;
			}
		},
	};
}

/**
 * Types `text` into the quick input the workbench shows, as a user does, and answers the message under its box (a
 * validation's, or a preview's) once it holds `contains`, or as it is after 15 s.
 */
export async function quickInputMessage(text: string, contains: string): Promise<string> {
	const answer = await askRunner<{ message: string }>('quickInputMessage', { type: text, contains });
	assert.ok(answer, 'PLUE_TEST_EVIDENCE_URL is not set: run the suite through tests/extension/runInCodeServer.mjs');
	return answer.message;
}

/** Everything in the "Plue Trace" log files, which VS Code keeps under the extension's log folder. */
export function readTrace(logPath: string): string {
	if (!fs.existsSync(logPath)) {
		return '';
	}
	return fs.readdirSync(logPath, { recursive: true, encoding: 'utf8' })
		.filter(name => name.includes('Plue Trace'))
		.map(name => fs.readFileSync(path.join(logPath, name), 'utf8'))
		.join('\n');
}

/** A notification toast as the workbench showed it: runInCodeServer.mjs records each one from the page. */
export interface Toast {
	severity: 'error' | 'warning' | 'info';
	message: string;
}

/** The toasts shown so far, oldest first. */
export function toasts(): Toast[] {
	const file = process.env.PLUE_TEST_NOTIFICATIONS;
	assert.ok(file, 'PLUE_TEST_NOTIFICATIONS is not set: run the suite through tests/extension/runInCodeServer.mjs');
	return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map(line => JSON.parse(line) as Toast) : [];
}

/** The last toast's text, for a failed assertion's message: what the user was told. */
export function lastToast(): string {
	return toasts().at(-1)?.message ?? '(no toast was shown)';
}

/**
 * How many toasts were shown, once none has appeared for a second. The workbench shows at most three toasts in 800 ms
 * and drops the rest (they go only to the notification centre), so a test that expects a toast first lets the earlier
 * tests' toasts age out of that window.
 */
export async function toastsSettled(): Promise<number> {
	const file = process.env.PLUE_TEST_NOTIFICATIONS;
	assert.ok(file, 'PLUE_TEST_NOTIFICATIONS is not set: run the suite through tests/extension/runInCodeServer.mjs');
	for (;;) {
		const quietFor = fs.existsSync(file) ? Date.now() - fs.statSync(file).mtimeMs : Infinity;
		if (quietFor >= 1_000) {
			return toasts().length;
		}
		await new Promise(resolve => setTimeout(resolve, 1_000 - quietFor));
	}
}

/** Waits (up to 10 s) for a toast whose text matches, among those shown after the first `after` (`toastsSettled()` before the action). */
export async function toastShown(message: RegExp, after: number): Promise<Toast> {
	for (const deadline = Date.now() + 10_000; ;) {
		const toast = toasts().slice(after).find(t => message.test(t.message));
		if (toast) {
			return toast;
		}
		assert.ok(Date.now() < deadline, `no toast matching ${message} was shown; the toasts since: ${JSON.stringify(toasts().slice(after))}`);
		await new Promise(resolve => setTimeout(resolve, 100));
	}
}

/** The MCP fixture server (node, standard library only): tools echo, env, pid, fail and "odd name!". */
export const mcpFixtureServer = path.resolve(__dirname, '../../../tests/Plue.Server.Tests/Agents/Tools/Fixtures/mcp-fixture-server.js');

/** Every file of the extension's log folder, read as text. */
export function readLogs(logPath: string): { file: string; text: string }[] {
	return fs.readdirSync(logPath, { recursive: true, encoding: 'utf8' })
		.map(name => path.join(logPath, name))
		.filter(file => fs.statSync(file).isFile())
		.map(file => ({ file, text: fs.readFileSync(file, 'utf8') }));
}
