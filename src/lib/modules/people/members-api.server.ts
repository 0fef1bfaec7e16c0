// The one member read the JSON API needs beyond admin.server.ts (which lists members and changes roles).
import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../server/db/client';
import { placeMember, role, user } from '../../server/db/schema';
import { AppError } from '../../server/errors';
import { can, requireMember, type PlaceScope } from '../places/policy';

/**
 * One member of the place (id, name, email, role key, since), for people who may see or manage members
 * (people.view or people.roles). not_found for someone who is not a member of this place.
 */
export async function getMember(db: DbOrTx, scope: PlaceScope, userId: string) {
	requireMember(scope);
	if (!can(scope, 'people.view') && !can(scope, 'people.roles')) throw new AppError('forbidden', { detail: 'missing people.view' });
	const [m] = await db
		.select({ id: user.id, name: user.name, email: user.email, role: role.key, since: placeMember.createdAt })
		.from(placeMember)
		.innerJoin(user, eq(user.id, placeMember.userId))
		.innerJoin(role, eq(role.id, placeMember.roleId))
		.where(and(eq(placeMember.placeId, scope.placeId), eq(placeMember.userId, userId)))
		.limit(1);
	if (!m) throw new AppError('not_found', { detail: 'member' });
	return m;
}
