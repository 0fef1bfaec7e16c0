// Paid trainings through the shared checkout (decision 009): a registration to a paid session opens an order with
// one line of kind 'training' whose refId is the registration. The registration already holds its seat (counted by
// the database trigger of migration 0018 when it was inserted); paying keeps it; a failed, expired or cancelled
// order cancels it, which gives the seat back.
import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../server/db/client';
import { AppError } from '../../server/errors';
import { audit } from '../../server/audit';
import { registerSellable } from '../money/checkout-registry.server';
import { trainingRegistration } from './schema';

export const TRAINING_KIND = 'training';

/** Cancels a registration still 'registered' (the seat-count trigger frees its seat); null when it was not (any more). */
export async function releaseRegistration(tx: Tx, placeId: string, registrationId: string): Promise<string | null> {
	const [r] = await tx
		.update(trainingRegistration)
		.set({ status: 'cancelled', updatedAt: sql`now()` })
		.where(and(eq(trainingRegistration.placeId, placeId), eq(trainingRegistration.id, registrationId), eq(trainingRegistration.status, 'registered')))
		.returning({ sessionId: trainingRegistration.sessionId });
	return r?.sessionId ?? null;
}

registerSellable(TRAINING_KIND, {
	async reserve(tx, { placeId, line }) {
		const [r] = await tx
			.select({ status: trainingRegistration.status })
			.from(trainingRegistration)
			.where(and(eq(trainingRegistration.placeId, placeId), eq(trainingRegistration.id, line.refId ?? '')));
		if (r?.status !== 'registered') throw new AppError('invalid_input', { detail: 'training line without a live registration' });
	},
	// The seat is already held: paying changes nothing on the registration (a session cancelled meanwhile is refunded by staff).
	async confirm() {},
	async release(tx, { placeId, line, actorId, order }, reason) {
		const sessionId = await releaseRegistration(tx, placeId, line.refId ?? '');
		if (sessionId) await audit(tx, { placeId, actorId, action: 'trainings.unregister', targetType: 'training_session', targetId: sessionId, data: { registrationId: line.refId, orderId: order.id, reason } });
	}
});
