/** How a flow's mail step went, recorded on the stored event as it is now (the reply loop may have stored answers meanwhile). */
import type {DeliveryState, TrackedEvent} from '../model.ts';
import type {InviteDeps} from './ports.ts';

export async function recordDelivery(deps: Pick<InviteDeps, 'events' | 'now'>, uid: string, delivery: DeliveryState): Promise<TrackedEvent | undefined> {
	const now = deps.now ?? (() => new Date());
	return deps.events.update(uid, current => current && {...current, delivery, updatedAt: now().toISOString()});
}
