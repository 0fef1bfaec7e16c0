import type { PageServerLoad } from './$types';
import { listAudit, pageNumber } from '$lib/modules/people/admin.server';
import { adminContext } from '../guard.server';

export const load: PageServerLoad = async (event) => {
	const { db, scope } = await adminContext(event, 'audit.view');
	const action = (event.url.searchParams.get('action') ?? '').trim().slice(0, 100);
	const entries = await listAudit(db, scope, { action, page: pageNumber(event.url.searchParams.get('page')) });
	return {
		action,
		entries: { ...entries, rows: entries.rows.map((r) => ({ ...r, data: Object.keys(r.data ?? {}).length ? JSON.stringify(r.data) : '' })) }
	};
};
