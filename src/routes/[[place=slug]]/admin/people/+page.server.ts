import type { Actions, PageServerLoad } from './$types';
import { can } from '$lib/modules/places/policy';
import { changeMemberRole, listMembers, listPlaceRoles, pageNumber, removeMember } from '$lib/modules/people/admin.server';
import { createInvitation, listPendingInvitations, revokeInvitation } from '$lib/modules/people/invitations.server';
import { formObject, runForm } from '$lib/server/http/forms';
import { translate } from '$lib/i18n';
import { adminContext } from '../guard.server';

export const load: PageServerLoad = async (event) => {
	const { db, scope } = await adminContext(event, 'people.view');
	const q = (event.url.searchParams.get('q') ?? '').slice(0, 200);
	const members = await listMembers(db, scope, { q, page: pageNumber(event.url.searchParams.get('page')) });
	const mayRoles = can(scope, 'people.roles');
	const mayInvite = can(scope, 'people.invite');
	const roles = mayRoles || mayInvite ? await listPlaceRoles(db, scope) : [];
	// Only roles the viewer could hand out are offered (the commands refuse the others anyway).
	const grantable = roles.filter((r) => r.permissions.every((p) => scope.permissions.has(p))).map((r) => ({ key: r.key, name: r.name }));
	return {
		q,
		members,
		mayRoles,
		mayInvite,
		me: scope.userId,
		roles: grantable,
		invitations: mayInvite ? await listPendingInvitations(db, scope) : []
	};
};

export const actions: Actions = {
	role: async (event) => {
		const { db, scope } = await adminContext(event, 'people.roles');
		return runForm(event, async (fd) => {
			const r = await changeMemberRole(db, scope, formObject(fd));
			return { success: true, message: translate(event.locals.locale, r.changed ? 'admin.people.role_changed' : 'admin.people.role_unchanged') };
		});
	},
	remove: async (event) => {
		const { db, scope } = await adminContext(event, 'people.roles');
		return runForm(event, async (fd) => {
			await removeMember(db, scope, formObject(fd));
			return { success: true, message: translate(event.locals.locale, 'admin.people.removed') };
		});
	},
	invite: async (event) => {
		const { db, scope } = await adminContext(event, 'people.invite');
		return runForm(event, async (fd) => {
			const inv = await createInvitation(db, scope, formObject(fd), { locale: event.locals.locale });
			return { success: true, message: translate(event.locals.locale, 'admin.invite.sent', { email: inv.email }), inviteUrl: inv.url };
		});
	},
	revoke: async (event) => {
		const { db, scope } = await adminContext(event, 'people.invite');
		return runForm(event, async (fd) => {
			await revokeInvitation(db, scope, formObject(fd));
			return { success: true, message: translate(event.locals.locale, 'admin.invite.revoked') };
		});
	}
};
