/**
 * One run at a time: a call while a run is under way gets that run's result instead of starting another
 * (the alarm, "Check now" and the popup opening may all ask at once).
 */
export type SingleFlight<T> = (() => Promise<T>) & {
	/**
	 * A run that starts after this call: the current run's result would not do, since what asked (new mail the
	 * relay's IDLE saw) may have come after that run looked. Callers while one waits share it.
	 */
	fresh(): Promise<T>;
};

export function singleFlight<T>(run: () => Promise<T>): SingleFlight<T> {
	let running: Promise<T> | undefined;
	let waiting: Promise<T> | undefined;
	const start = async (): Promise<T> => {
		running ??= run().finally(() => {
			running = undefined;
		});
		return running;
	};

	return Object.assign(start, {
		async fresh(): Promise<T> {
			if (!running) {
				return start();
			}

			waiting ??= running.catch(() => undefined).then(async () => {
				waiting = undefined;
				return start();
			});
			return waiting;
		},
	});
}
