// Trainings and qualifications on a real database (both engines): training types with the resources they
// qualify for, sessions in the place's zone, registrations with seats enforced by the database (30 concurrent
// registrations for 5 seats give exactly 5 on PostgreSQL), attendance that grants and renews qualifications,
// direct grants and revocations with a reason, tenant scope.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, isNull } from 'drizzle-orm';
import { freshDatabase } from '../../../../tests/helpers/db';
import type { Database } from '../../server/db/client';
import { auditLog, resource } from '../../server/db/schema';
import { AppError } from '../../server/errors';
import { newId } from '../../server/ids';
import { createPlace, addMember } from '../places/commands.server';
import { createUserRecord } from '../people/users.server';
import { resolvePlace, type PlaceContext } from '../../server/place-context';
import { cancelMyRegistration, cancelSession, createSession, createTrainingType, deleteTrainingType, grantQualification, recordAttendance, registerToSession, revokeQualification, updateTrainingType } from './commands.server';
import { getSessionForTrainer, listMyQualifications, listQualifications, listSessionsAdmin, listTrainingTypes, listUpcomingSessions } from './queries.server';
import { hasValidQualification } from './qualifications.server';
import { qualification, trainingRegistration, trainingSession } from './schema';
import { expireDueOrders, getOrder, recordOrderPayment } from '../money/checkout.server';

let database: Database;
const ids: Record<string, string> = {};
const ctx: Record<string, PlaceContext> = {};
const fail = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as AppError);
const NOW = new Date('2026-11-26T10:00:00Z');
const PEOPLE = ['admin', 'staff', 'trainer', 'member', 'other'] as const;

beforeAll(async () => {
	database = await freshDatabase({ poolSize: 20 });
	await database.db.transaction(async (tx) => {
		const a = await createPlace(tx, { name: 'Fab A', slug: 'fab-a', timezone: 'Europe/Paris' }, null);
		const b = await createPlace(tx, { name: 'Fab B', slug: 'fab-b', timezone: 'Europe/Paris' }, null);
		ids.place = a.id;
		ids.placeB = b.id;
		for (const key of PEOPLE) {
			const u = await createUserRecord(tx, { email: `${key}@fab.test`, name: key, password: 'une phrase assez longue 42' });
			ids[key] = u.id;
			await addMember(tx, a.id, u.id, key === 'admin' ? 'admin' : key === 'staff' ? 'staff' : 'member', null);
		}
		const outsider = await createUserRecord(tx, { email: 'outsider@fab.test', name: 'outsider', password: 'une phrase assez longue 42' });
		ids.outsider = outsider.id;
		await addMember(tx, b.id, outsider.id, 'admin', null);
		for (const [key, placeId, months] of [
			['laser', a.id, 24],
			['cnc', a.id, null],
			['laserB', b.id, 12]
		] as const) {
			ids[key] = newId();
			await tx.insert(resource).values({ id: ids[key], placeId, kind: 'machine', name: key, slug: key.toLowerCase(), requiresQualification: true, qualificationMonths: months, bookable: true });
		}
	});
	for (const key of PEOPLE) ctx[key] = await resolvePlace(database.db, 'fab-a', { id: ids[key], isOperator: false });
	ctx.outsider = await resolvePlace(database.db, 'fab-b', { id: ids.outsider, isOperator: false });
	ctx.outsiderInA = await resolvePlace(database.db, 'fab-a', { id: ids.outsider, isOperator: false });
});
afterAll(async () => {
	await database?.close();
});

describe('training types', () => {
	it('creates a type with the resources it qualifies for; refuses another place’s resource, writing nothing', async () => {
		const e = await fail(createTrainingType(database.db, ctx.staff.scope, { name: 'Laser', durationMinutes: 120, resourceIds: [ids.laser, ids.laserB] }));
		expect(e?.code).toBe('invalid_input');
		expect(e?.fields).toEqual({ 'resourceIds.1': 'field.trainings_unknown_resource' });
		expect(await listTrainingTypes(database.db, ctx.staff.scope)).toEqual([]);
		ids.laserType = (await createTrainingType(database.db, ctx.staff.scope, { name: 'Prise en main laser', description: 'Sécurité, réglages', durationMinutes: 120, priceCents: 3000, resourceIds: [ids.laser] })).id;
		ids.bothType = (await createTrainingType(database.db, ctx.staff.scope, { name: 'Machines', durationMinutes: 180, resourceIds: [ids.laser, ids.cnc, ids.cnc] })).id;
		const types = await listTrainingTypes(database.db, ctx.staff.scope);
		expect(types.map((t) => [t.name, t.priceCents, t.resources.map((r) => r.name)])).toEqual([
			['Machines', 0, ['cnc', 'laser']],
			['Prise en main laser', 3000, ['laser']]
		]);
	});
	it('updates a type and its resources; members may not manage types; bad input is named', async () => {
		await updateTrainingType(database.db, ctx.staff.scope, ids.laserType, { name: 'Prise en main de la découpeuse laser', durationMinutes: 150, priceCents: 0, resourceIds: [ids.laser] });
		const t = (await listTrainingTypes(database.db, ctx.staff.scope)).find((x) => x.id === ids.laserType)!;
		expect([t.name, t.durationMinutes, t.priceCents]).toEqual(['Prise en main de la découpeuse laser', 150, 0]);
		expect((await fail(createTrainingType(database.db, ctx.member.scope, { name: 'X', durationMinutes: 60 })))?.code).toBe('forbidden');
		const bad = await fail(createTrainingType(database.db, ctx.staff.scope, { name: ' ', durationMinutes: 5 }));
		expect(bad?.fields).toEqual({ name: 'field.required', durationMinutes: 'field.invalid' });
		expect((await fail(updateTrainingType(database.db, ctx.outsider.scope, ids.laserType, { name: 'Hijack', durationMinutes: 60 })))?.code).toBe('not_found');
	});
});

describe('deleting a training type', () => {
	it('deletes one that never had a session; refuses one that had (history), even racing a new session', async () => {
		const { id } = await createTrainingType(database.db, ctx.staff.scope, { name: 'Éphémère', durationMinutes: 60, resourceIds: [ids.laser] });
		expect((await fail(deleteTrainingType(database.db, ctx.member.scope, id)))?.code).toBe('forbidden');
		expect((await fail(deleteTrainingType(database.db, ctx.outsider.scope, id)))?.code).toBe('not_found');
		await deleteTrainingType(database.db, ctx.staff.scope, id);
		expect((await listTrainingTypes(database.db, ctx.staff.scope)).map((t) => t.name)).not.toContain('Éphémère');
		// A session and a delete at the same moment: either the session exists and the type stays, or neither.
		for (let i = 0; i < 5; i++) {
			const t = await createTrainingType(database.db, ctx.staff.scope, { name: `Course ${i}`, durationMinutes: 60 });
			const [made, deleted] = await Promise.allSettled([
				createSession(database.db, ctx.staff.scope, { trainingTypeId: t.id, date: '2027-01-10', time: '10:00', capacity: 3 }, { now: NOW }),
				deleteTrainingType(database.db, ctx.staff.scope, t.id)
			]);
			const sessions = await database.db.select().from(trainingSession).where(eq(trainingSession.trainingTypeId, t.id));
			if (made.status === 'fulfilled') {
				expect(deleted.status).toBe('rejected');
				expect(((deleted as PromiseRejectedResult).reason as AppError).fields).toEqual({ active: 'trainings.type_has_sessions' });
				expect(sessions.length).toBe(1);
				await cancelSession(database.db, ctx.staff.scope, sessions[0].id);
			} else {
				expect(((made as PromiseRejectedResult).reason as AppError).fields).toEqual({ trainingTypeId: 'field.invalid' });
				expect(deleted.status).toBe('fulfilled');
				expect(sessions.length).toBe(0);
			}
		}
	});
});

describe('sessions', () => {
	it('schedules a session at a local time in the place’s zone, lasting the type’s duration', async () => {
		ids.s1 = (await createSession(database.db, ctx.staff.scope, { trainingTypeId: ids.laserType, date: '2026-12-05', time: '14:00', trainerId: ids.trainer, capacity: 5, note: 'Apportez des chaussures fermées' }, { now: NOW })).id;
		const [s] = await database.db.select().from(trainingSession).where(eq(trainingSession.id, ids.s1));
		expect(s.startsAt.toISOString()).toBe('2026-12-05T13:00:00.000Z');
		expect(s.endsAt.toISOString()).toBe('2026-12-05T15:30:00.000Z');
		expect([s.capacity, s.registeredCount, s.status]).toEqual([5, 0, 'scheduled']);
	});
	it('refuses a past date, a bad time, a trainer who is not a member and a type of another place', async () => {
		const past = await fail(createSession(database.db, ctx.staff.scope, { trainingTypeId: ids.laserType, date: '2026-11-26', time: '10:30', capacity: 5 }, { now: NOW }));
		expect(past?.fields).toEqual({ date: 'field.trainings_past' });
		const bad = await fail(createSession(database.db, ctx.staff.scope, { trainingTypeId: ids.laserType, date: '2026-13-01', time: '25:00', capacity: 0 }, { now: NOW }));
		expect(bad?.fields).toEqual({ date: 'field.trainings_date', time: 'field.trainings_time', capacity: 'field.invalid' });
		const trainer = await fail(createSession(database.db, ctx.staff.scope, { trainingTypeId: ids.laserType, date: '2026-12-10', time: '10:00', trainerId: ids.outsider, capacity: 5 }, { now: NOW }));
		expect(trainer?.fields).toEqual({ trainerId: 'field.trainings_not_member' });
		const other = await fail(createSession(database.db, ctx.outsider.scope, { trainingTypeId: ids.laserType, date: '2026-12-10', time: '10:00', capacity: 5 }, { now: NOW }));
		expect(other?.fields).toEqual({ trainingTypeId: 'field.invalid' });
	});
	it('lists upcoming sessions publicly with seats left, not to another place', async () => {
		const anon = await resolvePlace(database.db, 'fab-a', null);
		const list = await listUpcomingSessions(database.db, anon.scope, { now: NOW });
		expect(list.map((s) => [s.typeName, s.seatsLeft, s.trainerName, s.myStatus])).toEqual([['Prise en main de la découpeuse laser', 5, 'trainer', null]]);
		expect(await listUpcomingSessions(database.db, ctx.outsider.scope, { now: NOW })).toEqual([]);
	});
});

describe('registrations', () => {
	it('registers a member once, lets them cancel before the start and come back', async () => {
		await registerToSession(database.db, ctx.member.scope, ids.s1, { now: NOW });
		const again = await fail(registerToSession(database.db, ctx.member.scope, ids.s1, { now: NOW }));
		expect(again?.code).toBe('conflict');
		expect(again?.fields).toEqual({ sessionId: 'trainings.already_registered' });
		let [s] = await listUpcomingSessions(database.db, ctx.member.scope, { now: NOW });
		expect([s.seatsLeft, s.myStatus]).toEqual([4, 'registered']);
		await cancelMyRegistration(database.db, ctx.member.scope, ids.s1, { now: NOW });
		[s] = await listUpcomingSessions(database.db, ctx.member.scope, { now: NOW });
		expect([s.seatsLeft, s.myStatus]).toEqual([5, null]);
		expect((await fail(cancelMyRegistration(database.db, ctx.member.scope, ids.s1, { now: NOW })))?.code).toBe('not_found');
		await registerToSession(database.db, ctx.member.scope, ids.s1, { now: NOW });
		expect((await fail(cancelMyRegistration(database.db, ctx.member.scope, ids.s1, { now: new Date('2026-12-05T13:00:00Z') })))?.fields).toEqual({ sessionId: 'trainings.too_late' });
		expect((await fail(registerToSession(database.db, ctx.other.scope, ids.s1, { now: new Date('2026-12-05T13:00:00Z') })))?.code).toBe('not_found');
		expect((await fail(registerToSession(database.db, ctx.outsider.scope, ids.s1, { now: NOW })))?.code).toBe('not_found');
		expect((await fail(registerToSession(database.db, ctx.outsiderInA.scope, ids.s1, { now: NOW })))?.code).toBe('forbidden');
	});

	it('30 concurrent registrations for 5 seats give exactly 5', async () => {
		const users: string[] = [];
		await database.db.transaction(async (tx) => {
			for (let i = 0; i < 30; i++) {
				const u = await createUserRecord(tx, { email: `rush${i}@fab.test`, name: `rush ${i}`, password: 'une phrase assez longue 42' });
				await addMember(tx, ids.place, u.id, 'member', null);
				users.push(u.id);
			}
		});
		const { id } = await createSession(database.db, ctx.staff.scope, { trainingTypeId: ids.bothType, date: '2026-12-12', time: '10:00', capacity: 5 }, { now: NOW });
		ids.rush = id;
		const scopes = await Promise.all(users.map((u) => resolvePlace(database.db, 'fab-a', { id: u, isOperator: false })));
		const results = await Promise.allSettled(scopes.map((c) => registerToSession(database.db, c.scope, id, { now: NOW })));
		const ok = results.filter((r) => r.status === 'fulfilled');
		const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
		expect(ok.length).toBe(5);
		expect(refused.map((r) => (r.reason as AppError).code)).toEqual(Array(25).fill('capacity_reached'));
		const [s] = await database.db.select().from(trainingSession).where(eq(trainingSession.id, id));
		expect(s.registeredCount).toBe(5);
		expect((await database.db.select().from(trainingRegistration).where(eq(trainingRegistration.sessionId, id))).length).toBe(5);
	});

	it('the database itself refuses more registered people than seats, and nobody writes the count directly', async () => {
		await expect(database.query('UPDATE training_session SET registered_count = capacity + 1 WHERE id = $1', [ids.rush])).rejects.toThrow(/registered_count is kept by the registrations/);
		await expect(database.query('UPDATE training_session SET registered_count = 0 WHERE id = $1', [ids.rush])).rejects.toThrow(/registered_count is kept by the registrations/);
		await expect(
			database.query(`INSERT INTO training_session (id, place_id, training_type_id, starts_at, ends_at, capacity, registered_count) SELECT 'forged', place_id, training_type_id, starts_at, ends_at, 5, 3 FROM training_session WHERE id = $1`, [ids.rush])
		).rejects.toThrow(/a new session starts at 0/);
		// the seats are still taken by the 5 live registrations of the race
		const [s] = await database.db.select().from(trainingSession).where(eq(trainingSession.id, ids.rush));
		expect([s.capacity, s.registeredCount]).toEqual([5, 5]);
	});

	it('the count follows registrations written directly in SQL (insert, cancel, come back, attended, move, delete), capacity enforced', async () => {
		const { id } = await createSession(database.db, ctx.staff.scope, { trainingTypeId: ids.laserType, date: '2026-12-20', time: '10:00', capacity: 2 }, { now: NOW });
		const { id: other } = await createSession(database.db, ctx.staff.scope, { trainingTypeId: ids.laserType, date: '2026-12-21', time: '10:00', capacity: 2 }, { now: NOW });
		const count = async (sid: string) => (await database.query<{ n: number }>('SELECT registered_count AS n FROM training_session WHERE id = $1', [sid]))[0].n;
		const insert = (regId: string, sid: string, userId: string, status = 'registered') =>
			database.query(`INSERT INTO training_registration (id, place_id, session_id, user_id, status) VALUES ($1, $2, $3, $4, $5)`, [regId, ids.place, sid, userId, status]);
		await insert('sql-a', id, ids.member);
		await insert('sql-b', id, ids.other, 'attended');
		expect(await count(id)).toBe(2);
		// a third live person is refused by the CHECK, even written directly; a cancelled row takes no seat
		await expect(insert('sql-c', id, ids.trainer)).rejects.toThrow(/training_session_capacity_ck/);
		await insert('sql-c', id, ids.trainer, 'cancelled');
		expect(await count(id)).toBe(2);
		await database.query(`UPDATE training_registration SET status = 'cancelled' WHERE id = 'sql-a'`);
		expect(await count(id)).toBe(1);
		await database.query(`UPDATE training_registration SET status = 'absent' WHERE id = 'sql-b'`);
		expect(await count(id)).toBe(1);
		await database.query(`UPDATE training_registration SET status = 'registered' WHERE id = 'sql-c'`);
		expect(await count(id)).toBe(2);
		await expect(database.query(`UPDATE training_registration SET status = 'registered' WHERE id = 'sql-a'`)).rejects.toThrow(/training_session_capacity_ck/);
		await database.query(`UPDATE training_registration SET session_id = $1 WHERE id = 'sql-c'`, [other]);
		expect([await count(id), await count(other)]).toEqual([1, 1]);
		await database.query(`DELETE FROM training_registration WHERE id IN ('sql-b', 'sql-c')`);
		expect([await count(id), await count(other)]).toEqual([0, 0]);
		// a command registration after all this still sees the right seats
		await registerToSession(database.db, ctx.member.scope, id, { now: NOW });
		const [s] = await listUpcomingSessions(database.db, ctx.member.scope, { now: NOW }).then((l) => l.filter((x) => x.id === id));
		expect(s.seatsLeft).toBe(1);
	});

	it('concurrent registrations written directly in SQL never pass capacity', async () => {
		const { id } = await createSession(database.db, ctx.staff.scope, { trainingTypeId: ids.bothType, date: '2026-12-22', time: '10:00', capacity: 3 }, { now: NOW });
		const people = (await database.query<{ id: string }>(`SELECT id FROM "user" WHERE email LIKE 'rush%@fab.test' ORDER BY email LIMIT 12`)).map((r) => r.id);
		expect(people).toHaveLength(12);
		const results = await Promise.allSettled(
			people.map((u, i) => database.query(`INSERT INTO training_registration (id, place_id, session_id, user_id) VALUES ($1, $2, $3, $4)`, [`direct-${i}`, ids.place, id, u]))
		);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
		for (const r of results) if (r.status === 'rejected') expect(String((r.reason as Error).message)).toMatch(/training_session_capacity_ck/);
		const [s] = await database.db.select().from(trainingSession).where(eq(trainingSession.id, id));
		expect(s.registeredCount).toBe(3);
		expect((await database.db.select().from(trainingRegistration).where(eq(trainingRegistration.sessionId, id))).length).toBe(3);
	});

	it('cancelling a session cancels its registrations and frees the seats', async () => {
		const { id } = await createSession(database.db, ctx.staff.scope, { trainingTypeId: ids.laserType, date: '2026-12-19', time: '10:00', capacity: 3 }, { now: NOW });
		await registerToSession(database.db, ctx.other.scope, id, { now: NOW });
		expect((await fail(cancelSession(database.db, ctx.member.scope, id)))?.code).toBe('forbidden');
		await cancelSession(database.db, ctx.staff.scope, id);
		const [s] = await database.db.select().from(trainingSession).where(eq(trainingSession.id, id));
		expect([s.status, s.registeredCount]).toEqual(['cancelled', 0]);
		expect((await database.db.select().from(trainingRegistration).where(eq(trainingRegistration.sessionId, id))).map((r) => r.status)).toEqual(['cancelled']);
		expect((await fail(registerToSession(database.db, ctx.member.scope, id, { now: NOW })))?.code).toBe('not_found');
		expect((await fail(cancelSession(database.db, ctx.staff.scope, id)))?.code).toBe('not_found');
		expect((await listSessionsAdmin(database.db, ctx.staff.scope, { since: NOW })).find((x) => x.id === id)?.status).toBe('cancelled');
	});
});

describe('paid trainings through the checkout', () => {
	const seats = async (id: string) => (await database.db.select().from(trainingSession).where(eq(trainingSession.id, id)))[0].registeredCount;
	const statusOf = async (sessionId: string, userId: string) =>
		(await database.db.select().from(trainingRegistration).where(and(eq(trainingRegistration.sessionId, sessionId), eq(trainingRegistration.userId, userId)))).map((r) => r.status).sort();

	it('a registration opens an order; cancelling it cancels the order and frees the seat', async () => {
		const type = await createTrainingType(database.db, ctx.staff.scope, { name: 'Laser avancé', durationMinutes: 120, priceCents: 3500, resourceIds: [ids.laser] });
		ids.paid = (await createSession(database.db, ctx.staff.scope, { trainingTypeId: type.id, date: '2027-02-06', time: '10:00', capacity: 2 }, { now: NOW })).id;
		const r = await registerToSession(database.db, ctx.other.scope, ids.paid, { now: NOW });
		expect(r.orderId).toEqual(expect.any(String));
		const o = await getOrder(database.db, ctx.other.scope, r.orderId!, { now: NOW });
		expect([o.status, o.totalCents, o.lines.map((l) => [l.kind, l.refId, l.label, l.vatCategory])]).toEqual(['pending', 3500, [['training', r.id, 'Laser avancé (2027-02-06 10:00)', 'service']]]);
		expect(await seats(ids.paid)).toBe(1);
		await cancelMyRegistration(database.db, ctx.other.scope, ids.paid, { now: NOW });
		expect((await getOrder(database.db, ctx.other.scope, r.orderId!, { now: NOW })).status).toBe('cancelled');
		expect(await seats(ids.paid)).toBe(0);
		expect(await statusOf(ids.paid, ids.other)).toEqual(['cancelled']);
	});
	it('an unpaid order that expires gives the seat back', async () => {
		const r = await registerToSession(database.db, ctx.other.scope, ids.paid, { now: NOW });
		expect(await seats(ids.paid)).toBe(1);
		expect(await expireDueOrders(database.db, { now: new Date(NOW.getTime() + 2 * 3600_000) })).toBeGreaterThanOrEqual(1);
		expect((await getOrder(database.db, ctx.other.scope, r.orderId!, { now: NOW })).status).toBe('expired');
		expect(await seats(ids.paid)).toBe(0);
		expect(await statusOf(ids.paid, ids.other)).toEqual(['cancelled', 'cancelled']);
	});
	it('a paid registration stays; the member cannot cancel it alone', async () => {
		const r = await registerToSession(database.db, ctx.other.scope, ids.paid, { now: NOW });
		await recordOrderPayment(database.db, ctx.staff.scope, r.orderId!, { method: 'cash' }, { now: NOW });
		expect((await getOrder(database.db, ctx.other.scope, r.orderId!, { now: NOW })).status).toBe('paid');
		const e = await fail(cancelMyRegistration(database.db, ctx.other.scope, ids.paid, { now: NOW }));
		expect(e?.fields).toEqual({ sessionId: 'trainings.paid_contact_team' });
		expect(await seats(ids.paid)).toBe(1);
		expect(await statusOf(ids.paid, ids.other)).toEqual(['cancelled', 'cancelled', 'registered']);
		const [s] = await listUpcomingSessions(database.db, ctx.other.scope, { now: NOW }).then((l) => l.filter((x) => x.id === ids.paid));
		expect([s.myStatus, s.myOrder]).toEqual(['registered', { id: r.orderId, status: 'paid' }]);
		const sheet = await getSessionForTrainer(database.db, ctx.staff.scope, ids.paid);
		expect(sheet.attendees.map((a) => [a.name, a.status, a.payment])).toEqual([['other', 'registered', 'paid']]);
	});
	it('cancelling a paid session cancels the unpaid orders of its registrations', async () => {
		const { id } = await createSession(database.db, ctx.staff.scope, { trainingTypeId: (await database.db.select().from(trainingSession).where(eq(trainingSession.id, ids.paid)))[0].trainingTypeId, date: '2027-02-13', time: '10:00', capacity: 2 }, { now: NOW });
		const r = await registerToSession(database.db, ctx.member.scope, id, { now: NOW });
		const res = await cancelSession(database.db, ctx.staff.scope, id);
		expect(res).toEqual({ unpaidOrdersCancelled: 1 });
		expect((await getOrder(database.db, ctx.member.scope, r.orderId!, { now: NOW })).status).toBe('cancelled');
		expect(await statusOf(id, ids.member)).toEqual(['cancelled']);
		expect(await seats(id)).toBe(0);
	});
});

describe('attendance and qualifications', () => {
	it('only the session’s trainer or trainings.grant sees the attendee list and marks it', async () => {
		expect((await fail(getSessionForTrainer(database.db, ctx.other.scope, ids.s1)))?.code).toBe('not_found');
		const { attendees } = await getSessionForTrainer(database.db, ctx.trainer.scope, ids.s1);
		expect(attendees.map((a) => [a.name, a.status])).toEqual([['member', 'registered']]);
		ids.reg = attendees[0].registrationId;
		expect((await fail(recordAttendance(database.db, ctx.other.scope, ids.s1, { marks: { [ids.reg]: 'attended' } })))?.code).toBe('forbidden');
		expect((await fail(recordAttendance(database.db, ctx.outsider.scope, ids.s1, { marks: { [ids.reg]: 'attended' } })))?.code).toBe('not_found');
		const bad = await fail(recordAttendance(database.db, ctx.trainer.scope, ids.s1, { marks: { nope: 'attended' } }));
		expect(bad?.fields).toEqual({ 'marks.nope': 'field.invalid' });
	});

	it('attended gives a qualification per resource expiring after qualification_months from the session date', async () => {
		const at = new Date('2026-12-06T10:00:00Z');
		expect(await hasValidQualification(database.db, ids.place, ids.member, ids.laser, at)).toBe(false);
		const r = await recordAttendance(database.db, ctx.trainer.scope, ids.s1, { marks: { [ids.reg]: 'attended' } }, { now: NOW });
		expect(r).toEqual({ attended: 1, absent: 0, granted: 1 });
		const [q] = await database.db.select().from(qualification).where(eq(qualification.userId, ids.member));
		expect(q.expiresAt?.toISOString()).toBe('2028-12-05T13:00:00.000Z');
		expect([q.resourceId, q.sessionId, q.grantedBy]).toEqual([ids.laser, ids.s1, ids.trainer]);
		expect(await hasValidQualification(database.db, ids.place, ids.member, ids.laser, at)).toBe(true);
		expect(await hasValidQualification(database.db, ids.place, ids.member, ids.laser, new Date('2028-12-05T13:00:00Z'))).toBe(false);
		expect(await hasValidQualification(database.db, ids.placeB, ids.member, ids.laser, at)).toBe(false);
		const mine = await listMyQualifications(database.db, ctx.member.scope, at);
		expect(mine.map((m) => [m.resourceName, m.status])).toEqual([['laser', 'valid']]);
		expect((await listMyQualifications(database.db, ctx.member.scope, new Date('2029-01-01T00:00:00Z')))[0].status).toBe('expired');
	});

	it('marking absent instead revokes what this session gave; attended again grants again', async () => {
		await recordAttendance(database.db, ctx.trainer.scope, ids.s1, { marks: { [ids.reg]: 'absent' } }, { now: NOW });
		expect(await hasValidQualification(database.db, ids.place, ids.member, ids.laser, NOW)).toBe(false);
		await recordAttendance(database.db, ctx.staff.scope, ids.s1, { marks: { [ids.reg]: 'attended' } }, { now: NOW });
		expect(await hasValidQualification(database.db, ids.place, ids.member, ids.laser, NOW)).toBe(true);
		const live = await database.db.select().from(qualification).where(and(eq(qualification.userId, ids.member), isNull(qualification.revokedAt)));
		expect(live.length).toBe(1);
	});

	it('renewal of a live qualification moves its expiry and keeps one row; a never-expiring resource stays never', async () => {
		const { id } = await createSession(database.db, ctx.staff.scope, { trainingTypeId: ids.bothType, date: '2027-06-01', time: '09:00', trainerId: ids.trainer, capacity: 4 }, { now: NOW });
		await registerToSession(database.db, ctx.member.scope, id, { now: NOW });
		const { attendees } = await getSessionForTrainer(database.db, ctx.trainer.scope, id);
		const r = await recordAttendance(database.db, ctx.trainer.scope, id, { marks: { [attendees[0].registrationId]: 'attended' } }, { now: NOW });
		expect(r.granted).toBe(2);
		const live = await database.db.select().from(qualification).where(and(eq(qualification.userId, ids.member), isNull(qualification.revokedAt)));
		expect(Object.fromEntries(live.map((q) => [q.resourceId, q.expiresAt?.toISOString() ?? null]))).toEqual({ [ids.laser]: '2029-06-01T07:00:00.000Z', [ids.cnc]: null });
		expect((await database.db.select().from(auditLog).where(eq(auditLog.action, 'trainings.attendance'))).length).toBe(4);
	});
});

describe('direct grants and revocations', () => {
	it('grants by e-mail with the resource’s default expiry; the trainer may grant what they train', async () => {
		const q = await grantQualification(database.db, ctx.trainer.scope, { email: 'OTHER@fab.test', resourceId: ids.laser }, { now: NOW });
		expect(q).toMatchObject({ userId: ids.other, resourceId: ids.laser, renewed: false, grantedBy: ids.trainer });
		expect(q.expiresAt?.toISOString()).toBe('2028-11-26T10:00:00.000Z');
		const renewed = await grantQualification(database.db, ctx.staff.scope, { userId: ids.other, resourceId: ids.laser, expiresAt: '2030-01-01T00:00:00Z' }, { now: NOW });
		expect([renewed.id, renewed.renewed, renewed.expiresAt?.toISOString()]).toEqual([q.id, true, '2030-01-01T00:00:00.000Z']);
	});
	it('refuses: neither or both of email/userId, a past expiry, an unknown person or resource, no permission', async () => {
		expect((await fail(grantQualification(database.db, ctx.staff.scope, { resourceId: ids.laser }, { now: NOW })))?.fields).toEqual({ email: 'field.trainings_email_or_user' });
		expect((await fail(grantQualification(database.db, ctx.staff.scope, { email: 'other@fab.test', userId: ids.other, resourceId: ids.laser }, { now: NOW })))?.fields).toEqual({ email: 'field.trainings_email_or_user' });
		expect((await fail(grantQualification(database.db, ctx.staff.scope, { userId: ids.other, resourceId: ids.laser, expiresAt: '2026-11-01T00:00:00Z' }, { now: NOW })))?.fields).toEqual({ expiresAt: 'field.trainings_past' });
		expect((await fail(grantQualification(database.db, ctx.staff.scope, { userId: ids.other, resourceId: ids.laser, expiresAt: 'demain' }, { now: NOW })))?.fields).toEqual({ expiresAt: 'field.trainings_date' });
		expect((await fail(grantQualification(database.db, ctx.staff.scope, { email: 'outsider@fab.test', resourceId: ids.laser }, { now: NOW })))?.code).toBe('not_found');
		expect((await fail(grantQualification(database.db, ctx.staff.scope, { userId: ids.other, resourceId: ids.laserB }, { now: NOW })))?.code).toBe('not_found');
		expect((await fail(grantQualification(database.db, ctx.other.scope, { userId: ids.member, resourceId: ids.cnc }, { now: NOW })))?.code).toBe('forbidden');
		expect((await fail(grantQualification(database.db, ctx.outsider.scope, { userId: ids.member, resourceId: ids.laser }, { now: NOW })))?.code).toBe('not_found');
	});
	it('concurrent grants to one person and resource give one live row', async () => {
		const results = await Promise.allSettled(Array.from({ length: 8 }, () => grantQualification(database.db, ctx.staff.scope, { userId: ids.staff, resourceId: ids.cnc }, { now: NOW })));
		expect(results.filter((r) => r.status === 'fulfilled').length).toBe(8);
		const live = await database.db.select().from(qualification).where(and(eq(qualification.userId, ids.staff), eq(qualification.resourceId, ids.cnc), isNull(qualification.revokedAt)));
		expect(live.length).toBe(1);
	});
	it('revokes with a mandatory reason (audited); the booking gate closes; a revoked one cannot be revoked again', async () => {
		const [q] = await listQualifications(database.db, ctx.staff.scope, { now: NOW, userId: ids.other });
		expect((await fail(revokeQualification(database.db, ctx.staff.scope, q.id, { reason: ' ' })))?.fields).toEqual({ reason: 'field.too_short' });
		expect((await fail(revokeQualification(database.db, ctx.other.scope, q.id, { reason: 'Usage dangereux' })))?.code).toBe('forbidden');
		expect((await fail(revokeQualification(database.db, ctx.outsider.scope, q.id, { reason: 'Usage dangereux' })))?.code).toBe('not_found');
		await revokeQualification(database.db, ctx.staff.scope, q.id, { reason: 'Usage dangereux' }, { now: NOW });
		expect(await hasValidQualification(database.db, ids.place, ids.other, ids.laser, NOW)).toBe(false);
		expect((await fail(revokeQualification(database.db, ctx.staff.scope, q.id, { reason: 'Encore' })))?.code).toBe('conflict');
		const [entry] = await database.db.select().from(auditLog).where(and(eq(auditLog.action, 'trainings.qualification_revoke'), eq(auditLog.targetId, q.id)));
		expect(entry.data).toMatchObject({ reason: 'Usage dangereux', userId: ids.other });
		const all = await listQualifications(database.db, ctx.staff.scope, { now: NOW, userId: ids.other, all: true });
		expect(all.map((x) => [x.status, x.revokeReason])).toEqual([['revoked', 'Usage dangereux']]);
		// A new grant after a revocation is a new row.
		const again = await grantQualification(database.db, ctx.staff.scope, { userId: ids.other, resourceId: ids.laser }, { now: NOW });
		expect(again.id).not.toBe(q.id);
		expect((await fail(listQualifications(database.db, ctx.member.scope, { now: NOW })))?.code).toBe('forbidden');
	});
});
