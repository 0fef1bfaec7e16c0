// Writes of the trainings module: one exported function per use case, one transaction each, audited.
// Seats: training_session.registered_count is kept by a database trigger from the live registrations (migration
// 0018) and the database refuses more people than seats (training_session_capacity_ck); one live registration per person and session
// (training_registration_person_uq); one live qualification per person and resource (qualification_live_uq).
import { and, desc, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../server/db/client';
import { placeMember, resource, user } from '../../server/db/schema';
import { AppError, pgConstraint, pgErrorCode } from '../../server/errors';
import { audit } from '../../server/audit';
import { log } from '../../server/log';
import { newId } from '../../server/ids';
import { parseInput } from '../../server/validation';
import { requireMember, type PlaceScope } from '../places/policy';
import { mayRunSession, requireGrantFor, requireTrainingsAdmin } from './policy';
import { openOrder, cancelOrder } from '../money/checkout.server';
import { checkoutOrder, checkoutOrderLine } from '../money/checkout-schema';
import { wallClock } from '../places/time';
import { releaseRegistration, TRAINING_KIND } from './sellable.server';
import { qualification, trainingRegistration, trainingSession, trainingType, trainingTypeResource } from './schema';
import {
	attendanceInput,
	grantInput,
	laterExpiry,
	qualificationExpiry,
	revokeInput,
	sessionInput,
	sessionStart,
	trainingTypeInput,
	type AttendanceInput,
	type GrantInput,
	type SessionInput,
	type TrainingTypeInput
} from './rules';

export type Qualification = typeof qualification.$inferSelect;

/** Checks that every resource id belongs to the place; field errors name the bad ones. */
async function checkResources(tx: Tx, placeId: string, ids: string[]): Promise<void> {
	if (!ids.length) return;
	const found = await tx
		.select({ id: resource.id })
		.from(resource)
		.where(and(eq(resource.placeId, placeId), inArray(resource.id, ids)));
	const known = new Set(found.map((r) => r.id));
	const fields: Record<string, string> = {};
	ids.forEach((id, i) => {
		if (!known.has(id)) fields[`resourceIds.${i}`] = 'field.trainings_unknown_resource';
	});
	if (Object.keys(fields).length) throw new AppError('invalid_input', { fields });
}

export async function createTrainingType(db: Db, scope: PlaceScope, raw: TrainingTypeInput): Promise<{ id: string }> {
	requireTrainingsAdmin(scope);
	const input = parseInput(trainingTypeInput, raw);
	const resourceIds = [...new Set(input.resourceIds)];
	return db.transaction(async (tx) => {
		await checkResources(tx, scope.placeId, resourceIds);
		const id = newId();
		await tx.insert(trainingType).values({ id, placeId: scope.placeId, name: input.name, description: input.description, durationMinutes: input.durationMinutes, priceCents: input.priceCents, active: input.active });
		if (resourceIds.length) await tx.insert(trainingTypeResource).values(resourceIds.map((resourceId) => ({ trainingTypeId: id, resourceId })));
		await audit(tx, { placeId: scope.placeId, actorId: scope.userId, action: 'trainings.type_create', targetType: 'training_type', targetId: id, data: { name: input.name, priceCents: input.priceCents, resourceIds } });
		return { id };
	});
}

export async function updateTrainingType(db: Db, scope: PlaceScope, id: string, raw: TrainingTypeInput): Promise<void> {
	requireTrainingsAdmin(scope);
	const input = parseInput(trainingTypeInput, raw);
	const resourceIds = [...new Set(input.resourceIds)];
	await db.transaction(async (tx) => {
		const [row] = await tx
			.update(trainingType)
			.set({ name: input.name, description: input.description, durationMinutes: input.durationMinutes, priceCents: input.priceCents, active: input.active })
			.where(and(eq(trainingType.placeId, scope.placeId), eq(trainingType.id, id)))
			.returning({ id: trainingType.id });
		if (!row) throw new AppError('not_found', { detail: 'training type' });
		await checkResources(tx, scope.placeId, resourceIds);
		await tx.delete(trainingTypeResource).where(eq(trainingTypeResource.trainingTypeId, id));
		if (resourceIds.length) await tx.insert(trainingTypeResource).values(resourceIds.map((resourceId) => ({ trainingTypeId: id, resourceId })));
		await audit(tx, { placeId: scope.placeId, actorId: scope.userId, action: 'trainings.type_update', targetType: 'training_type', targetId: id, data: { name: input.name, active: input.active, priceCents: input.priceCents, resourceIds } });
	});
}

/** Deletes a training type that never had a session (one that had stays for history: make it inactive instead). */
export async function deleteTrainingType(db: Db, scope: PlaceScope, id: string): Promise<void> {
	requireTrainingsAdmin(scope);
	await db.transaction(async (tx) => {
		const [row] = await tx
			.select({ id: trainingType.id, name: trainingType.name })
			.from(trainingType)
			.where(and(eq(trainingType.placeId, scope.placeId), eq(trainingType.id, id)))
			.for('update');
		if (!row) throw new AppError('not_found', { detail: 'training type' });
		const [used] = await tx.select({ id: trainingSession.id }).from(trainingSession).where(eq(trainingSession.trainingTypeId, id)).limit(1);
		if (used) throw new AppError('conflict', { detail: 'training type has sessions', fields: { active: 'trainings.type_has_sessions' } });
		await tx.delete(trainingType).where(eq(trainingType.id, id));
		await audit(tx, { placeId: scope.placeId, actorId: scope.userId, action: 'trainings.type_delete', targetType: 'training_type', targetId: id, data: { name: row.name } });
	});
}

/** Whether the person is a member of the place (trainers, people granted a qualification). */
async function isMemberOf(tx: Tx, placeId: string, userId: string): Promise<boolean> {
	const [m] = await tx
		.select({ userId: placeMember.userId })
		.from(placeMember)
		.where(and(eq(placeMember.placeId, placeId), eq(placeMember.userId, userId)));
	return Boolean(m);
}

/** Schedules a session: its local date and time in the place's zone, it lasts the training type's duration. */
export async function createSession(db: Db, scope: PlaceScope, raw: SessionInput, opts: { now?: Date } = {}): Promise<{ id: string }> {
	requireTrainingsAdmin(scope);
	const input = parseInput(sessionInput, raw);
	const startsAt = sessionStart(input.date, input.time, scope.timezone);
	if (startsAt.getTime() <= (opts.now ?? new Date()).getTime()) throw new AppError('invalid_input', { fields: { date: 'field.trainings_past' } });
	return db.transaction(async (tx) => {
		const [type] = await tx
			.select({ id: trainingType.id, durationMinutes: trainingType.durationMinutes, active: trainingType.active })
			.from(trainingType)
			.where(and(eq(trainingType.placeId, scope.placeId), eq(trainingType.id, input.trainingTypeId)))
			// why: a concurrent deleteTrainingType waits for this session, or this waits and finds no type.
			.for('share');
		if (!type || !type.active) throw new AppError('invalid_input', { fields: { trainingTypeId: 'field.invalid' } });
		if (input.trainerId && !(await isMemberOf(tx, scope.placeId, input.trainerId))) throw new AppError('invalid_input', { fields: { trainerId: 'field.trainings_not_member' } });
		const id = newId();
		const endsAt = new Date(startsAt.getTime() + type.durationMinutes * 60_000);
		await tx.insert(trainingSession).values({ id, placeId: scope.placeId, trainingTypeId: type.id, startsAt, endsAt, trainerId: input.trainerId, capacity: input.capacity, note: input.note });
		await audit(tx, { placeId: scope.placeId, actorId: scope.userId, action: 'trainings.session_create', targetType: 'training_session', targetId: id, data: { trainingTypeId: type.id, startsAt: startsAt.toISOString(), capacity: input.capacity, trainerId: input.trainerId } });
		return { id };
	});
}

/**
 * Cancels a scheduled session and every live registration to it (seats freed). Unpaid orders of those
 * registrations are cancelled afterwards through the checkout, so nobody pays for a cancelled session; paid ones
 * are for the team to refund.
 */
export async function cancelSession(db: Db, scope: PlaceScope, id: string): Promise<{ unpaidOrdersCancelled: number }> {
	requireTrainingsAdmin(scope);
	const regIds = await db.transaction(async (tx) => {
		const [s] = await tx
			.update(trainingSession)
			.set({ status: 'cancelled' })
			.where(and(eq(trainingSession.placeId, scope.placeId), eq(trainingSession.id, id), eq(trainingSession.status, 'scheduled')))
			.returning({ id: trainingSession.id });
		if (!s) throw new AppError('not_found', { detail: 'scheduled session' });
		const regs = await tx
			.update(trainingRegistration)
			.set({ status: 'cancelled', updatedAt: sql`now()` })
			.where(and(eq(trainingRegistration.sessionId, id), eq(trainingRegistration.status, 'registered')))
			.returning({ id: trainingRegistration.id });
		await audit(tx, { placeId: scope.placeId, actorId: scope.userId, action: 'trainings.session_cancel', targetType: 'training_session', targetId: id, data: { registrations: regs.length } });
		return regs.map((r) => r.id);
	});
	let unpaidOrdersCancelled = 0;
	for (const regId of regIds) {
		const order = await orderOfRegistration(db, scope.placeId, regId);
		if (order?.status !== 'pending') continue;
		try {
			await cancelOrder(db, scope, order.id);
			unpaidOrdersCancelled++;
		} catch (e) {
			// why: paid or expired in the meantime, or the person may not cancel orders: the session stays cancelled.
			log().warn({ err: e, orderId: order.id, sessionId: id }, 'training order not cancelled with its session');
		}
	}
	return { unpaidOrdersCancelled };
}

/**
 * Registers the signed-in member to an upcoming session. The session row is locked first (concurrent registrations
 * queue there); inserting the registration takes the seat: the trigger adds it to registered_count and the CHECK
 * refuses one past capacity.
 * A paid training also opens a checkout order (one 'training' line) in the same transaction: the member pays it
 * online, with wallet credit or on site; if it fails or expires, the registration is cancelled and the seat freed.
 */
export async function registerToSession(db: Db, scope: PlaceScope, sessionId: string, opts: { now?: Date } = {}): Promise<{ id: string; orderId: string | null }> {
	requireMember(scope);
	const userId = scope.userId!;
	const now = opts.now ?? new Date();
	try {
		return await db.transaction(async (tx) => {
			const [s] = await tx
				.select({ id: trainingSession.id, startsAt: trainingSession.startsAt, trainingTypeId: trainingSession.trainingTypeId })
				.from(trainingSession)
				.where(and(eq(trainingSession.placeId, scope.placeId), eq(trainingSession.id, sessionId), eq(trainingSession.status, 'scheduled'), sql`${trainingSession.startsAt} > ${now.toISOString()}`))
				.for('update');
			if (!s) throw new AppError('not_found', { detail: 'upcoming session' });
			// The session row is locked above: this check and the insert cannot race for one person.
			const [mine] = await tx
				.select({ id: trainingRegistration.id })
				.from(trainingRegistration)
				.where(and(eq(trainingRegistration.sessionId, sessionId), eq(trainingRegistration.userId, userId), ne(trainingRegistration.status, 'cancelled')));
			if (mine) throw new AppError('conflict', { detail: 'already registered', fields: { sessionId: 'trainings.already_registered' } });
			const id = newId();
			await tx.insert(trainingRegistration).values({ id, placeId: scope.placeId, sessionId, userId });
			const [type] = await tx.select({ name: trainingType.name, priceCents: trainingType.priceCents }).from(trainingType).where(eq(trainingType.id, s.trainingTypeId));
			let orderId: string | null = null;
			if (type.priceCents > 0) {
				const wc = wallClock(s.startsAt, scope.timezone);
				const order = await openOrder(tx, {
					placeId: scope.placeId,
					timezone: scope.timezone,
					buyerId: userId,
					createdBy: userId,
					now,
					lines: [{ kind: TRAINING_KIND, refId: id, label: `${type.name} (${wc.date} ${wc.time})`, activity: 'machines', quantity: 1, unitPriceCents: type.priceCents, vatCategory: 'service', details: { sessionId } }]
				});
				orderId = order.id;
			}
			await audit(tx, { placeId: scope.placeId, actorId: userId, action: 'trainings.register', targetType: 'training_session', targetId: sessionId, data: { registrationId: id, orderId } });
			return { id, orderId };
		});
	} catch (e) {
		if (pgErrorCode(e) === '23514' && pgConstraint(e) === 'training_session_capacity_ck') throw new AppError('capacity_reached', { cause: e });
		throw e;
	}
}

/** The checkout order of a registration (the latest one), if any. */
async function orderOfRegistration(db: Db | Tx, placeId: string, registrationId: string): Promise<{ id: string; status: string } | undefined> {
	const [o] = await db
		.select({ id: checkoutOrder.id, status: checkoutOrder.status })
		.from(checkoutOrderLine)
		.innerJoin(checkoutOrder, eq(checkoutOrder.id, checkoutOrderLine.orderId))
		.where(and(eq(checkoutOrderLine.placeId, placeId), eq(checkoutOrderLine.kind, TRAINING_KIND), eq(checkoutOrderLine.refId, registrationId)))
		.orderBy(desc(checkoutOrder.createdAt))
		.limit(1);
	return o;
}

/**
 * The member cancels their own registration before the session starts (the seat is freed). An unpaid one is
 * cancelled through its order (the checkout releases the seat); a paid one is for the team to cancel and refund.
 */
export async function cancelMyRegistration(db: Db, scope: PlaceScope, sessionId: string, opts: { now?: Date } = {}): Promise<void> {
	requireMember(scope);
	const now = opts.now ?? new Date();
	const [live] = await db
		.select({ id: trainingRegistration.id })
		.from(trainingRegistration)
		.where(and(eq(trainingRegistration.placeId, scope.placeId), eq(trainingRegistration.sessionId, sessionId), eq(trainingRegistration.userId, scope.userId!), eq(trainingRegistration.status, 'registered')));
	const order = live ? await orderOfRegistration(db, scope.placeId, live.id) : undefined;
	if (order?.status === 'paid') throw new AppError('conflict', { detail: 'paid registration', fields: { sessionId: 'trainings.paid_contact_team' } });
	if (order?.status === 'pending') {
		const [s] = await db.select({ startsAt: trainingSession.startsAt }).from(trainingSession).where(eq(trainingSession.id, sessionId));
		if (s && s.startsAt.getTime() <= now.getTime()) throw new AppError('invalid_input', { fields: { sessionId: 'trainings.too_late' } });
		await cancelOrder(db, scope, order.id);
		return;
	}
	await db.transaction(async (tx) => {
		const [s] = await tx
			.select({ id: trainingSession.id, startsAt: trainingSession.startsAt })
			.from(trainingSession)
			.where(and(eq(trainingSession.placeId, scope.placeId), eq(trainingSession.id, sessionId)))
			.for('update');
		if (!s) throw new AppError('not_found', { detail: 'session' });
		if (s.startsAt.getTime() <= now.getTime()) throw new AppError('invalid_input', { fields: { sessionId: 'trainings.too_late' } });
		const [r] = await tx
			.select({ id: trainingRegistration.id })
			.from(trainingRegistration)
			.where(and(eq(trainingRegistration.sessionId, sessionId), eq(trainingRegistration.userId, scope.userId!), eq(trainingRegistration.status, 'registered')));
		if (!r || !(await releaseRegistration(tx, scope.placeId, r.id))) throw new AppError('not_found', { detail: 'registration' });
		await audit(tx, { placeId: scope.placeId, actorId: scope.userId, action: 'trainings.unregister', targetType: 'training_session', targetId: sessionId, data: { registrationId: r.id } });
	});
}

/**
 * Grants (or renews) a person's qualification for a resource inside a transaction: one live row per person and
 * resource, taken by INSERT … ON CONFLICT on the partial unique index, so concurrent grants give one row. A
 * renewal keeps the row and moves its expiry to the later of the two (null = never wins).
 */
async function upsertQualification(
	tx: Tx,
	v: { placeId: string; userId: string; resourceId: string; grantedBy: string | null; expiresAt: Date | null; sessionId: string | null; now: Date }
): Promise<{ row: Qualification; renewed: boolean }> {
	const [existing] = await tx
		.select()
		.from(qualification)
		.where(and(eq(qualification.userId, v.userId), eq(qualification.resourceId, v.resourceId), isNull(qualification.revokedAt)))
		.for('update');
	if (existing) {
		const expiresAt = laterExpiry(existing.expiresAt, v.expiresAt);
		const [row] = await tx
			.update(qualification)
			.set({ expiresAt, grantedBy: v.grantedBy, sessionId: v.sessionId ?? existing.sessionId })
			.where(eq(qualification.id, existing.id))
			.returning();
		return { row, renewed: true };
	}
	const [row] = await tx
		.insert(qualification)
		.values({ id: newId(), placeId: v.placeId, userId: v.userId, resourceId: v.resourceId, grantedBy: v.grantedBy, grantedAt: v.now, expiresAt: v.expiresAt, sessionId: v.sessionId })
		.onConflictDoUpdate({
			target: [qualification.userId, qualification.resourceId],
			targetWhere: isNull(qualification.revokedAt),
			// why: a concurrent grant inserted first; keep its row and give it the later expiry.
			set: { expiresAt: sql`CASE WHEN ${qualification.expiresAt} IS NULL OR excluded.expires_at IS NULL THEN NULL ELSE GREATEST(${qualification.expiresAt}, excluded.expires_at) END`, grantedBy: v.grantedBy }
		})
		.returning();
	return { row, renewed: false };
}

export interface AttendanceResult {
	attended: number;
	absent: number;
	granted: number;
}

/**
 * The trainer (or trainings.grant) marks registrations attended, absent or back to registered, in one post.
 * Attended -> a qualification for every resource of the training type, expiring after the resource's
 * qualification_months counted from the session's start (renewed if live); leaving "attended" revokes the
 * qualifications this session gave.
 */
export async function recordAttendance(db: Db, scope: PlaceScope, sessionId: string, raw: AttendanceInput, opts: { now?: Date } = {}): Promise<AttendanceResult> {
	if (!scope.userId) throw new AppError('unauthenticated');
	const input = parseInput(attendanceInput, raw);
	const now = opts.now ?? new Date();
	return db.transaction(async (tx) => {
		const [s] = await tx
			.select()
			.from(trainingSession)
			.where(and(eq(trainingSession.placeId, scope.placeId), eq(trainingSession.id, sessionId)))
			.for('update');
		if (!s) throw new AppError('not_found', { detail: 'session' });
		if (!mayRunSession(scope, s)) throw new AppError('forbidden', { detail: 'not the trainer' });
		if (s.status === 'cancelled') throw new AppError('invalid_input', { fields: { sessionId: 'trainings.session_cancelled' } });
		const regs = await tx
			.select()
			.from(trainingRegistration)
			.where(and(eq(trainingRegistration.sessionId, sessionId), ne(trainingRegistration.status, 'cancelled')));
		const byId = new Map(regs.map((r) => [r.id, r]));
		const fields: Record<string, string> = {};
		for (const regId of Object.keys(input.marks)) if (!byId.has(regId)) fields[`marks.${regId}`] = 'field.invalid';
		if (Object.keys(fields).length) throw new AppError('invalid_input', { fields });
		const resources = await tx
			.select({ id: resource.id, months: resource.qualificationMonths })
			.from(trainingTypeResource)
			.innerJoin(resource, eq(resource.id, trainingTypeResource.resourceId))
			.where(and(eq(trainingTypeResource.trainingTypeId, s.trainingTypeId), eq(resource.placeId, scope.placeId)));
		const result: AttendanceResult = { attended: 0, absent: 0, granted: 0 };
		for (const [regId, mark] of Object.entries(input.marks)) {
			const reg = byId.get(regId)!;
			if (mark === 'attended') result.attended++;
			if (mark === 'absent') result.absent++;
			if (reg.status === mark) continue;
			await tx.update(trainingRegistration).set({ status: mark, updatedAt: sql`now()` }).where(eq(trainingRegistration.id, regId));
			if (mark === 'attended') {
				for (const r of resources) {
					const expiresAt = qualificationExpiry(s.startsAt, r.months, scope.timezone);
					// why: a session marked long after its date may give an already expired qualification: nothing to grant.
					if (expiresAt && expiresAt.getTime() <= now.getTime()) continue;
					await upsertQualification(tx, { placeId: scope.placeId, userId: reg.userId, resourceId: r.id, grantedBy: scope.userId, expiresAt, sessionId, now });
					result.granted++;
				}
			} else if (reg.status === 'attended') {
				await tx
					.update(qualification)
					.set({ revokedAt: now, revokedBy: scope.userId, revokeReason: 'attendance corrected' })
					.where(and(eq(qualification.userId, reg.userId), eq(qualification.sessionId, sessionId), isNull(qualification.revokedAt)));
			}
			await audit(tx, { placeId: scope.placeId, actorId: scope.userId, action: 'trainings.attendance', targetType: 'training_registration', targetId: regId, data: { sessionId, userId: reg.userId, from: reg.status, to: mark } });
		}
		return result;
	});
}

/**
 * Grants a qualification directly, without a session (trainings.grant, or a trainer of that resource). The person
 * must be a member of the place and the resource one of its own (not_found otherwise). Without an expiry, the
 * resource's qualification_months from now (null = never).
 */
export async function grantQualification(db: Db, scope: PlaceScope, raw: GrantInput, opts: { now?: Date } = {}): Promise<Qualification & { renewed: boolean }> {
	if (!scope.userId) throw new AppError('unauthenticated');
	const input = parseInput(grantInput, raw);
	const now = opts.now ?? new Date();
	const typedExpiry = input.expiresAt ? new Date(input.expiresAt) : undefined;
	if (typedExpiry && typedExpiry.getTime() <= now.getTime()) throw new AppError('invalid_input', { fields: { expiresAt: 'field.trainings_past' } });
	return db.transaction(async (tx) => {
		const [res] = await tx
			.select({ id: resource.id, months: resource.qualificationMonths })
			.from(resource)
			.where(and(eq(resource.placeId, scope.placeId), eq(resource.id, input.resourceId)));
		if (!res) throw new AppError('not_found', { detail: 'resource', fields: { resourceId: 'field.trainings_unknown_resource' } });
		await requireGrantFor(tx, scope, res.id);
		const [person] = await tx
			.select({ id: user.id })
			.from(user)
			.innerJoin(placeMember, and(eq(placeMember.userId, user.id), eq(placeMember.placeId, scope.placeId)))
			.where(and(input.userId ? eq(user.id, input.userId) : sql`lower(${user.email}) = ${input.email!}`, isNull(user.deletedAt)));
		if (!person) throw new AppError('not_found', { detail: 'person', fields: { [input.userId ? 'userId' : 'email']: 'field.trainings_not_member' } });
		const expiresAt = typedExpiry ?? qualificationExpiry(now, res.months, scope.timezone);
		const { row, renewed } = await upsertQualification(tx, { placeId: scope.placeId, userId: person.id, resourceId: res.id, grantedBy: scope.userId, expiresAt, sessionId: null, now });
		await audit(tx, { placeId: scope.placeId, actorId: scope.userId, action: renewed ? 'trainings.qualification_renew' : 'trainings.qualification_grant', targetType: 'qualification', targetId: row.id, data: { userId: person.id, resourceId: res.id, expiresAt: row.expiresAt?.toISOString() ?? null } });
		return { ...row, renewed };
	});
}

/** Revokes a live qualification with a mandatory reason (audited). */
export async function revokeQualification(db: Db, scope: PlaceScope, id: string, raw: { reason: string }, opts: { now?: Date } = {}): Promise<void> {
	if (!scope.userId) throw new AppError('unauthenticated');
	const input = parseInput(revokeInput, raw);
	const now = opts.now ?? new Date();
	await db.transaction(async (tx) => {
		const [q] = await tx
			.select()
			.from(qualification)
			.where(and(eq(qualification.placeId, scope.placeId), eq(qualification.id, id)))
			.for('update');
		if (!q) throw new AppError('not_found', { detail: 'qualification' });
		await requireGrantFor(tx, scope, q.resourceId);
		if (q.revokedAt) throw new AppError('conflict', { detail: 'already revoked', fields: { reason: 'trainings.already_revoked' } });
		await tx.update(qualification).set({ revokedAt: now, revokedBy: scope.userId, revokeReason: input.reason }).where(eq(qualification.id, id));
		await audit(tx, { placeId: scope.placeId, actorId: scope.userId, action: 'trainings.qualification_revoke', targetType: 'qualification', targetId: id, data: { userId: q.userId, resourceId: q.resourceId, reason: input.reason } });
	});
}
