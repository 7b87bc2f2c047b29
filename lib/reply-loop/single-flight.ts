/**
 * One run at a time: a call while a run is under way gets that run's result instead of starting another
 * (the alarm, "Check now" and the popup opening may all ask at once).
 */
export function singleFlight<T>(run: () => Promise<T>): () => Promise<T> {
	let running: Promise<T> | undefined;
	return async () => {
		running ??= run().finally(() => {
			running = undefined;
		});
		return running;
	};
}
