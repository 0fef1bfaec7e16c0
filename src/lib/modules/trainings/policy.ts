// Who may do what with trainings. Managing training types and sessions, and granting or revoking any
// qualification, is the trainings.grant permission (staff, admins). A session's trainer marks attendance of
// that session, and may grant or revoke directly the qualifications of the resources their trainings cover.
import { and, eq, ne } from 'drizzle-orm';
import type { DbOrTx } from '../../server/db/client';
import { AppError } from '../../server/errors';
import { can, requirePermission, type PlaceScope } from '../places/policy';
import { trainingSession, trainingTypeResource } from './schema';

export function requireTrainingsAdmin(scope: PlaceScope): void {
	requirePermission(scope, 'trainings.grant');
}

/** Whether the person is the trainer of a (not cancelled) session of a type that qualifies for the resource. */
export async function trainsFor(db: DbOrTx, scope: PlaceScope, resourceId: string): Promise<boolean> {
	if (!scope.userId) return false;
	const [row] = await db
		.select({ id: trainingSession.id })
		.from(trainingSession)
		.innerJoin(trainingTypeResource, eq(trainingTypeResource.trainingTypeId, trainingSession.trainingTypeId))
		.where(and(eq(trainingSession.placeId, scope.placeId), eq(trainingSession.trainerId, scope.userId), ne(trainingSession.status, 'cancelled'), eq(trainingTypeResource.resourceId, resourceId)))
		.limit(1);
	return Boolean(row);
}

/** Throws unless the person holds trainings.grant or trains for this resource. */
export async function requireGrantFor(db: DbOrTx, scope: PlaceScope, resourceId: string): Promise<void> {
	if (!scope.userId) throw new AppError('unauthenticated');
	if (can(scope, 'trainings.grant')) return;
	if (!scope.roleKey || !(await trainsFor(db, scope, resourceId))) throw new AppError('forbidden', { detail: 'missing trainings.grant' });
}

/** Whether the person may manage this session's attendance: trainings.grant or its trainer. */
export function mayRunSession(scope: PlaceScope, session: { trainerId: string | null }): boolean {
	if (!scope.userId) return false;
	return can(scope, 'trainings.grant') || (Boolean(scope.roleKey) && session.trainerId === scope.userId);
}
