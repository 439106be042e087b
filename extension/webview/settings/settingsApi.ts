import type { SettingsWebviewMessage, SettingsWebviewState } from '../../src/shared/settingsMessages';

/** The part of the API VS Code gives a webview that the settings page uses. */
interface SettingsVsCodeApi {
	postMessage(message: SettingsWebviewMessage): void;
	setState(state: SettingsWebviewState): void;
}

declare function acquireVsCodeApi(): SettingsVsCodeApi;

/** May be called only once per page. */
export const vscode: SettingsVsCodeApi = acquireVsCodeApi();

export function post(message: SettingsWebviewMessage): void {
	vscode.postMessage(message);
}
