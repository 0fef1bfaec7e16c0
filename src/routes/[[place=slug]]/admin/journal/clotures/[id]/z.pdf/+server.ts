// The Z report of a closure as a PDF (cafe.sell or money.view: the staff who close the day download it).
import type { RequestHandler } from './$types';
import { error } from '@sveltejs/kit';
import { zReport, zReportFileName, zReportPdf } from '$lib/modules/money/zreport.server';
import { isAppError } from '$lib/server/errors';
import { translate } from '$lib/i18n';
import { adminContext } from '../../../../guard.server';

export const GET: RequestHandler = async (event) => {
	const { db, scope } = await adminContext(event, ['cafe.sell', 'money.view']);
	let z;
	try {
		z = await zReport(db, scope, event.params.id);
	} catch (e) {
		if (isAppError(e) && e.code === 'not_found') error(404, { message: translate(event.locals.locale, 'error.not_found'), code: 'not_found' });
		throw e;
	}
	const pdf = await zReportPdf(z, event.locals.locale);
	return new Response(new Uint8Array(pdf), {
		headers: {
			'content-type': 'application/pdf',
			'content-disposition': `inline; filename="${zReportFileName(z)}"`,
			'cache-control': 'private, no-store'
		}
	});
};
