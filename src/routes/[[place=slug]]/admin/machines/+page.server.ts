import type { Actions, PageServerLoad } from './$types';
import { redirect } from '@sveltejs/kit';
import { createResource, hourProductOptions, listResourcesAdmin } from '$lib/modules/booking/resources.server';
import { runForm } from '$lib/server/http/forms';
import { adminContext } from '../guard.server';
import { resourceFromForm } from './form.server';

export const load: PageServerLoad = async (event) => {
	const { db, scope } = await adminContext(event, 'bookings.manage');
	const resources = await listResourcesAdmin(db, scope);
	return {
		resources,
		rooms: resources.filter((r) => r.kind === 'room').map((r) => ({ id: r.id, name: r.name })),
		products: await hourProductOptions(db, scope)
	};
};

export const actions: Actions = {
	default: async (event) => {
		const { db, scope, base } = await adminContext(event, 'bookings.manage');
		const result = await runForm(event, async (fd) => createResource(db, scope, resourceFromForm(fd) as never));
		if (result && 'id' in result) redirect(303, `${base}/admin/machines/${result.id}?created=1`);
		return result;
	}
};
