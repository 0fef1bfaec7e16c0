// The archive (.zip) of a closure period: receipts and closures as JSON and CSV, manifest with hashes (money.view).
import type { RequestHandler } from './$types';
import { error } from '@sveltejs/kit';
import { closureArchive } from '$lib/modules/money/archive.server';
import { isAppError } from '$lib/server/errors';
import { translate } from '$lib/i18n';
import { adminContext } from '../../../../guard.server';

export const GET: RequestHandler = async (event) => {
	const { db, scope } = await adminContext(event, 'money.view');
	let a;
	try {
		a = await closureArchive(db, scope, event.params.id);
	} catch (e) {
		if (isAppError(e) && e.code === 'not_found') error(404, { message: translate(event.locals.locale, 'error.not_found'), code: 'not_found' });
		throw e;
	}
	return new Response(a.zip as Uint8Array<ArrayBuffer>, {
		headers: {
			'content-type': 'application/zip',
			'content-disposition': `attachment; filename="${a.fileName}"`,
			'cache-control': 'private, no-store'
		}
	});
};
