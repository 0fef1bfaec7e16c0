import type { PageServerLoad } from './$types';
import { listMyQualifications, listMyTrainerSessions, trainerAccess } from '$lib/modules/trainings/queries.server';
import { memberContext } from '../member-guard.server';

// The member's qualifications (valid, expired, revoked); trainers see their sessions, staff a link to manage.
export const load: PageServerLoad = async (event) => {
	const { db, scope } = await memberContext(event);
	const now = new Date();
	const [mine, access, sessions] = await Promise.all([listMyQualifications(db, scope, now), trainerAccess(db, scope), listMyTrainerSessions(db, scope, { since: new Date(now.getTime() - 30 * 86400_000) })]);
	return {
		qualifications: mine.map((q) => ({ id: q.id, resourceName: q.resourceName, grantedAt: q.grantedAt, expiresAt: q.expiresAt, status: q.status, revokeReason: q.revokeReason })),
		canManage: access.admin,
		trainerSessions: sessions.map((s) => ({ id: s.id, typeName: s.typeName, startsAt: s.startsAt, registeredCount: s.registeredCount, capacity: s.capacity })),
		timezone: scope.timezone
	};
};
