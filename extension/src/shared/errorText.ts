/** What a thrown value says: an Error's message, anything else as text. Told to users through `showError` (sidecar/commandErrors.ts). */
export function errorText(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
