/** The alarm that runs the reply loop every few minutes (1 to 30, from the settings). */
export const replyAlarmName = 'check-replies';

/** The poll interval in minutes, kept within 1 to 30 whatever is stored. */
export function pollPeriod(minutes: number): number {
	return Number.isFinite(minutes) ? Math.min(30, Math.max(1, Math.round(minutes))) : 1;
}
