/**
 * Typed declarations of the sidecar's JSON-RPC methods (see PROTOCOL.md).
 * One namespace per method, in the style of vscode-languageserver-protocol.
 */
import { RequestType0 } from 'vscode-languageclient/node';

/**
 * Options the extension sends in `initialize.initializationOptions`.
 */
export interface PlueInitializationOptions {
	/** Overrides the sidecar's home folder (default `~/.plue`); taken from `PLUE_HOME`. */
	plueHome?: string;
	/** Base64 of the 32-byte vault master key kept in VS Code SecretStorage. Never logged. */
	vaultKey?: string;
	/** File-system paths of the window's workspace folders. */
	workspaceFolders?: string[];
	/** Whether the workspace is trusted; untrusted ones get no workspace templates, prompts or CLI paths. */
	trusted?: boolean;
}

/**
 * The result of `plue/status`.
 */
export interface StatusResult {
	/** The sidecar's version, the same as `serverInfo.version`. */
	version: string;
	/** The sidecar's operating-system process id. */
	pid: number;
	/** The absolute home folder the sidecar stores its data in. */
	plueHome: string;
	/** Milliseconds since the sidecar process started. */
	uptimeMs: number;
}

/**
 * `plue/status`: the sidecar's version, process and home. Valid once initialized.
 */
export namespace StatusRequest {
	export const method = 'plue/status' as const;
	export const type = new RequestType0<StatusResult, void>(method);
}
