import type { PageServerLoad } from './$types';
import { listInstanceOutbox, listPlaceOutbox, pageNumber } from '$lib/modules/people/admin.server';
import { adminContext } from '../guard.server';

export const load: PageServerLoad = async (event) => {
	const { db, scope } = await adminContext(event, 'outbox.view');
	const sp = event.url.searchParams;
	const isOperator = Boolean(event.locals.user?.isOperator);
	return {
		mails: await listPlaceOutbox(db, scope, { page: pageNumber(sp.get('page')) }),
		// Mails with no place (sign-in links, password resets) concern the whole instance: operators only.
		instance: isOperator ? await listInstanceOutbox(db, event.locals.user, { page: pageNumber(sp.get('ipage')) }) : null
	};
};
