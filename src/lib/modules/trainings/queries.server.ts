// Reads of the trainings module, always scoped to the place.
import { and, asc, desc, eq, gt, gte, inArray, isNull, ne } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { DbOrTx } from '../../server/db/client';
import { placeMember, resource, user } from '../../server/db/schema';
import { AppError } from '../../server/errors';
import { can, type PlaceScope } from '../places/policy';
import { mayRunSession, requireTrainingsAdmin } from './policy';
import { qualification, trainingRegistration, trainingSession, trainingType, trainingTypeResource, type RegistrationStatus, type TrainingSessionStatus } from './schema';
import { qualificationStatus, type QualificationStatus } from './rules';
import { checkoutOrder, checkoutOrderLine } from '../money/checkout-schema';
import { TRAINING_KIND } from './sellable.server';

export interface TrainingTypeRow {
	id: string;
	name: string;
	description: string;
	durationMinutes: number;
	priceCents: number;
	active: boolean;
	resources: Array<{ id: string; name: string }>;
}

async function resourcesOfTypes(db: DbOrTx, placeId: string, typeIds: string[]): Promise<Map<string, Array<{ id: string; name: string }>>> {
	const out = new Map<string, Array<{ id: string; name: string }>>();
	if (!typeIds.length) return out;
	const rows = await db
		.select({ typeId: trainingTypeResource.trainingTypeId, id: resource.id, name: resource.name })
		.from(trainingTypeResource)
		.innerJoin(resource, and(eq(resource.id, trainingTypeResource.resourceId), eq(resource.placeId, placeId)))
		.where(inArray(trainingTypeResource.trainingTypeId, typeIds))
		.orderBy(asc(resource.name));
	for (const r of rows) out.set(r.typeId, [...(out.get(r.typeId) ?? []), { id: r.id, name: r.name }]);
	return out;
}

/** Every training type of the place (inactive ones too), with the resources it qualifies for. */
export async function listTrainingTypes(db: DbOrTx, scope: PlaceScope): Promise<TrainingTypeRow[]> {
	requireTrainingsAdmin(scope);
	const rows = await db
		.select({ id: trainingType.id, name: trainingType.name, description: trainingType.description, durationMinutes: trainingType.durationMinutes, priceCents: trainingType.priceCents, active: trainingType.active })
		.from(trainingType)
		.where(eq(trainingType.placeId, scope.placeId))
		.orderBy(desc(trainingType.active), asc(trainingType.name));
	const res = await resourcesOfTypes(db, scope.placeId, rows.map((r) => r.id));
	return rows.map((r) => ({ ...r, resources: res.get(r.id) ?? [] }));
}

export async function getTrainingType(db: DbOrTx, scope: PlaceScope, id: string): Promise<TrainingTypeRow> {
	const t = (await listTrainingTypes(db, scope)).find((x) => x.id === id);
	if (!t) throw new AppError('not_found', { detail: 'training type' });
	return t;
}

/** Resources a training can qualify for: the place's machines, rooms and benches. */
export async function listQualifiableResources(db: DbOrTx, scope: PlaceScope): Promise<Array<{ id: string; name: string; requiresQualification: boolean; qualificationMonths: number | null }>> {
	return db
		.select({ id: resource.id, name: resource.name, requiresQualification: resource.requiresQualification, qualificationMonths: resource.qualificationMonths })
		.from(resource)
		.where(and(eq(resource.placeId, scope.placeId), ne(resource.kind, 'space')))
		.orderBy(desc(resource.requiresQualification), asc(resource.name));
}

/** Members of the place (trainer choice, grants), by name. */
export async function listPlacePeople(db: DbOrTx, scope: PlaceScope): Promise<Array<{ id: string; name: string; email: string }>> {
	requireTrainingsAdmin(scope);
	return db
		.select({ id: user.id, name: user.name, email: user.email })
		.from(placeMember)
		.innerJoin(user, eq(user.id, placeMember.userId))
		.where(and(eq(placeMember.placeId, scope.placeId), isNull(user.deletedAt)))
		.orderBy(asc(user.name));
}

export interface SessionRow {
	id: string;
	trainingTypeId: string;
	typeName: string;
	description: string;
	priceCents: number;
	startsAt: Date;
	endsAt: Date;
	capacity: number;
	registeredCount: number;
	seatsLeft: number;
	status: TrainingSessionStatus;
	note: string;
	trainerId: string | null;
	trainerName: string | null;
	resources: Array<{ id: string; name: string }>;
	/** The viewer's live registration status, if any. */
	myStatus: RegistrationStatus | null;
	/** The checkout order of the viewer's live registration (paid trainings). */
	myOrder: { id: string; status: string } | null;
}

const trainer = alias(user, 'trainer');

async function sessions(db: DbOrTx, scope: PlaceScope, where: ReturnType<typeof and>, order: 'asc' | 'desc', limit: number): Promise<SessionRow[]> {
	const rows = await db
		.select({
			id: trainingSession.id,
			trainingTypeId: trainingSession.trainingTypeId,
			typeName: trainingType.name,
			description: trainingType.description,
			priceCents: trainingType.priceCents,
			startsAt: trainingSession.startsAt,
			endsAt: trainingSession.endsAt,
			capacity: trainingSession.capacity,
			registeredCount: trainingSession.registeredCount,
			status: trainingSession.status,
			note: trainingSession.note,
			trainerId: trainingSession.trainerId,
			trainerName: trainer.name
		})
		.from(trainingSession)
		.innerJoin(trainingType, eq(trainingType.id, trainingSession.trainingTypeId))
		.leftJoin(trainer, eq(trainer.id, trainingSession.trainerId))
		.where(and(eq(trainingSession.placeId, scope.placeId), where))
		.orderBy(order === 'asc' ? asc(trainingSession.startsAt) : desc(trainingSession.startsAt), asc(trainingSession.id))
		.limit(limit);
	const res = await resourcesOfTypes(db, scope.placeId, [...new Set(rows.map((r) => r.trainingTypeId))]);
	const mine = new Map<string, RegistrationStatus>();
	const orders = new Map<string, { id: string; status: string }>();
	if (scope.userId && rows.length) {
		const regs = await db
			.select({ id: trainingRegistration.id, sessionId: trainingRegistration.sessionId, status: trainingRegistration.status })
			.from(trainingRegistration)
			.where(and(eq(trainingRegistration.placeId, scope.placeId), eq(trainingRegistration.userId, scope.userId), inArray(trainingRegistration.sessionId, rows.map((r) => r.id)), ne(trainingRegistration.status, 'cancelled')));
		for (const r of regs) mine.set(r.sessionId, r.status);
		if (regs.length) {
			const lines = await db
				.select({ refId: checkoutOrderLine.refId, id: checkoutOrder.id, status: checkoutOrder.status })
				.from(checkoutOrderLine)
				.innerJoin(checkoutOrder, eq(checkoutOrder.id, checkoutOrderLine.orderId))
				.where(and(eq(checkoutOrderLine.placeId, scope.placeId), eq(checkoutOrderLine.kind, TRAINING_KIND), inArray(checkoutOrderLine.refId, regs.map((r) => r.id))))
				.orderBy(desc(checkoutOrder.createdAt));
			for (const reg of regs) {
				const l = lines.find((x) => x.refId === reg.id);
				if (l) orders.set(reg.sessionId, { id: l.id, status: l.status });
			}
		}
	}
	return rows.map((r) => ({ ...r, seatsLeft: Math.max(0, r.capacity - r.registeredCount), resources: res.get(r.trainingTypeId) ?? [], myStatus: mine.get(r.id) ?? null, myOrder: orders.get(r.id) ?? null }));
}

/** Public: scheduled sessions that have not started yet, soonest first, with seats left (and the viewer's registration). */
export async function listUpcomingSessions(db: DbOrTx, scope: PlaceScope, opts: { now: Date; limit?: number }): Promise<SessionRow[]> {
	return sessions(db, scope, and(eq(trainingSession.status, 'scheduled'), gt(trainingSession.startsAt, opts.now)), 'asc', opts.limit ?? 100);
}

/** Admin: sessions from `since` on (upcoming and recent), soonest first. */
export async function listSessionsAdmin(db: DbOrTx, scope: PlaceScope, opts: { since: Date; limit?: number }): Promise<SessionRow[]> {
	requireTrainingsAdmin(scope);
	return sessions(db, scope, gte(trainingSession.startsAt, opts.since), 'asc', opts.limit ?? 200);
}

/** Sessions the viewer trains (not cancelled), recent and upcoming. */
export async function listMyTrainerSessions(db: DbOrTx, scope: PlaceScope, opts: { since: Date }): Promise<SessionRow[]> {
	if (!scope.userId) return [];
	return sessions(db, scope, and(eq(trainingSession.trainerId, scope.userId), ne(trainingSession.status, 'cancelled'), gte(trainingSession.startsAt, opts.since)), 'asc', 50);
}

export interface Attendee {
	registrationId: string;
	userId: string;
	name: string;
	email: string;
	status: RegistrationStatus;
	/** Status of the checkout order of a paid training ('pending', 'paid'…); null when free. */
	payment: string | null;
}

/** A session and its attendee list, for its trainer or trainings.grant (not_found for anyone else). */
export async function getSessionForTrainer(db: DbOrTx, scope: PlaceScope, id: string): Promise<{ session: SessionRow; attendees: Attendee[] }> {
	const [s] = await sessions(db, scope, eq(trainingSession.id, id), 'asc', 1);
	if (!s || !mayRunSession(scope, s)) throw new AppError('not_found', { detail: 'session' });
	const attendees = await db
		.select({ registrationId: trainingRegistration.id, userId: user.id, name: user.name, email: user.email, status: trainingRegistration.status })
		.from(trainingRegistration)
		.innerJoin(user, eq(user.id, trainingRegistration.userId))
		.where(and(eq(trainingRegistration.placeId, scope.placeId), eq(trainingRegistration.sessionId, id), ne(trainingRegistration.status, 'cancelled')))
		.orderBy(asc(user.name));
	const payments = new Map<string, string>();
	if (attendees.length) {
		const lines = await db
			.select({ refId: checkoutOrderLine.refId, status: checkoutOrder.status })
			.from(checkoutOrderLine)
			.innerJoin(checkoutOrder, eq(checkoutOrder.id, checkoutOrderLine.orderId))
			.where(and(eq(checkoutOrderLine.placeId, scope.placeId), eq(checkoutOrderLine.kind, TRAINING_KIND), inArray(checkoutOrderLine.refId, attendees.map((a) => a.registrationId))))
			.orderBy(asc(checkoutOrder.createdAt));
		for (const l of lines) if (l.refId) payments.set(l.refId, l.status);
	}
	return { session: s, attendees: attendees.map((a) => ({ ...a, payment: payments.get(a.registrationId) ?? null })) };
}

export interface QualificationRow {
	id: string;
	userId: string;
	userName: string;
	resourceId: string;
	resourceName: string;
	grantedAt: Date;
	expiresAt: Date | null;
	revokedAt: Date | null;
	revokeReason: string | null;
	sessionId: string | null;
	grantedBy: string | null;
	status: QualificationStatus;
}

async function qualifications(db: DbOrTx, scope: PlaceScope, where: ReturnType<typeof and>, now: Date): Promise<QualificationRow[]> {
	const rows = await db
		.select({
			id: qualification.id,
			userId: qualification.userId,
			userName: user.name,
			resourceId: qualification.resourceId,
			resourceName: resource.name,
			grantedAt: qualification.grantedAt,
			expiresAt: qualification.expiresAt,
			revokedAt: qualification.revokedAt,
			revokeReason: qualification.revokeReason,
			sessionId: qualification.sessionId,
			grantedBy: qualification.grantedBy
		})
		.from(qualification)
		.innerJoin(resource, eq(resource.id, qualification.resourceId))
		.innerJoin(user, eq(user.id, qualification.userId))
		.where(and(eq(qualification.placeId, scope.placeId), where))
		.orderBy(asc(user.name), asc(resource.name), desc(qualification.grantedAt))
		.limit(1000);
	return rows.map((r) => ({ ...r, status: qualificationStatus(r, now) }));
}

/** The viewer's qualifications in the place (valid, expired and revoked). */
export async function listMyQualifications(db: DbOrTx, scope: PlaceScope, now: Date): Promise<QualificationRow[]> {
	if (!scope.userId) throw new AppError('unauthenticated');
	return qualifications(db, scope, eq(qualification.userId, scope.userId), now);
}

/** Staff: the place's qualifications, of one person or everyone; live only unless `all`. */
export async function listQualifications(db: DbOrTx, scope: PlaceScope, opts: { now: Date; userId?: string; all?: boolean }): Promise<QualificationRow[]> {
	requireTrainingsAdmin(scope);
	return qualifications(db, scope, and(opts.userId ? eq(qualification.userId, opts.userId) : undefined, opts.all ? undefined : isNull(qualification.revokedAt)), opts.now);
}

/** Whether the viewer may open the trainings admin pages (trainings.grant) or trains any session. */
export async function trainerAccess(db: DbOrTx, scope: PlaceScope): Promise<{ admin: boolean; trainer: boolean }> {
	const admin = can(scope, 'trainings.grant');
	if (!scope.userId || !scope.roleKey) return { admin, trainer: false };
	const [s] = await db
		.select({ id: trainingSession.id })
		.from(trainingSession)
		.where(and(eq(trainingSession.placeId, scope.placeId), eq(trainingSession.trainerId, scope.userId), ne(trainingSession.status, 'cancelled')))
		.limit(1);
	return { admin, trainer: Boolean(s) };
}


