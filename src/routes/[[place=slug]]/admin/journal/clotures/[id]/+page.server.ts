import type { PageServerLoad } from './$types';
import { error } from '@sveltejs/kit';
import { zReport } from '$lib/modules/money/zreport.server';
import { can } from '$lib/modules/places/policy';
import { isAppError } from '$lib/server/errors';
import { translate } from '$lib/i18n';
import { LIEU_VERSION } from '$lib/server/version';
import { adminContext } from '../../../guard.server';

export const load: PageServerLoad = async (event) => {
	const { db, scope } = await adminContext(event, ['cafe.sell', 'money.view']);
	try {
		const z = await zReport(db, scope, event.params.id);
		const c = z.closure;
		return {
			z: {
				place: z.place,
				closure: { ...c, closedAt: c.closedAt.toISOString() }
			},
			/** The journal page and the archive need money.view (staff who only sell get the report alone). */
			mayArchive: can(scope, 'money.view'),
			version: LIEU_VERSION
		};
	} catch (e) {
		if (isAppError(e) && e.code === 'not_found') error(404, { message: translate(event.locals.locale, 'error.not_found'), code: 'not_found' });
		throw e;
	}
};
