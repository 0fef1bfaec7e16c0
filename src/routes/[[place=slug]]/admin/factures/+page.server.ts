import type { PageServerLoad } from './$types';
import { listInvoices } from '$lib/modules/money/invoices.server';
import { can } from '$lib/modules/places/policy';
import { wallClock } from '$lib/modules/places/time';
import { adminContext } from '../guard.server';

export const load: PageServerLoad = async (event) => {
	const { db, scope } = await adminContext(event, ['money.view', 'money.manage']);
	return { invoices: await listInvoices(db, scope), canManage: can(scope, 'money.manage'), today: wallClock(new Date(), scope.timezone).date };
};
