// The Language Model API suite's entry: the main suite's runner, over this folder's tests.
import { runSuite } from '../suite/index';

export function run(): Promise<void> {
	return runSuite(__dirname);
}
