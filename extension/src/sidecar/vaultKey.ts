import type * as vscode from 'vscode';

const secretName = 'plue.vaultKey';

/**
 * The vault master key earlier versions kept in SecretStorage, if this profile has one. The key now lives with the
 * home ($PLUE_HOME/vault.key, or PLUE_VAULT_KEY), so VS Code and the `plue` command line open the same vault; the
 * sidecar uses this one only to open a vault written with it, and then moves it to the home. Never log it.
 */
export async function previousVaultKey(secrets: vscode.SecretStorage): Promise<string | undefined> {
	return (await secrets.get(secretName)) || undefined;
}
