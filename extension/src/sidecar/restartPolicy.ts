import { CloseAction, CloseHandlerResult, ErrorAction, ErrorHandler, ErrorHandlerResult, Message } from 'vscode-languageclient/node';

const maxRestarts = 5;
const windowMs = 3 * 60 * 1000;

/**
 * Restarts a crashed sidecar up to 5 times in 3 minutes; after that it stops
 * and lets the owner offer a manual restart (the client's own message is suppressed).
 */
export class RestartPolicy implements ErrorHandler {
	private _restarts: number[] = [];

	constructor(private readonly _onGiveUp: () => void) { }

	error(_error: Error, _message: Message | undefined, count: number | undefined): ErrorHandlerResult {
		// A few bad messages are survivable; a stream that keeps failing is not.
		return { action: count !== undefined && count <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown };
	}

	closed(): CloseHandlerResult {
		const now = Date.now();
		this._restarts = this._restarts.filter(at => now - at < windowMs);
		if (this._restarts.length >= maxRestarts) {
			this._onGiveUp();
			return { action: CloseAction.DoNotRestart, handled: true };
		}
		this._restarts.push(now);
		return { action: CloseAction.Restart, handled: true };
	}
}
