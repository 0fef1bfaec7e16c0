import type { Actions, PageServerLoad } from './$types';
import { PERMISSIONS } from '$lib/modules/places/policy';
import { saveRole } from '$lib/modules/places/commands.server';
import { listPlaceRoles } from '$lib/modules/people/admin.server';
import { formObject, runForm } from '$lib/server/http/forms';
import { translate } from '$lib/i18n';
import { adminContext } from '../guard.server';

export const load: PageServerLoad = async (event) => {
	const { db, scope } = await adminContext(event, 'roles.manage');
	return {
		roles: await listPlaceRoles(db, scope),
		permissions: [...PERMISSIONS]
	};
};

/** Checkbox lists arrive as repeated "permissions" fields; none ticked means an empty list. */
function roleForm(fd: FormData) {
	return { ...formObject(fd), permissions: fd.getAll('permissions').filter((v) => typeof v === 'string') };
}

export const actions: Actions = {
	create: async (event) => {
		const { db, scope } = await adminContext(event, 'roles.manage');
		return runForm(event, async (fd) => {
			const r = await saveRole(db, scope, roleForm(fd), 'create');
			return { success: true, message: translate(event.locals.locale, 'admin.roles.created', { name: r.name }) };
		});
	},
	update: async (event) => {
		const { db, scope } = await adminContext(event, 'roles.manage');
		return runForm(event, async (fd) => {
			const r = await saveRole(db, scope, roleForm(fd), 'update');
			return { success: true, message: translate(event.locals.locale, 'admin.roles.updated', { name: r.name }) };
		});
	}
};
