import type { PanelWebviewState, WebviewMessage } from '../src/shared/panelMessages';

/** The part of the API VS Code gives a webview that this one uses. */
interface VsCodeApi {
	postMessage(message: WebviewMessage): void;
	getState(): PanelWebviewState | undefined;
	setState(state: PanelWebviewState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** May be called only once per page. */
export const vscode: VsCodeApi = acquireVsCodeApi();

export function post(message: WebviewMessage): void {
	vscode.postMessage(message);
}
