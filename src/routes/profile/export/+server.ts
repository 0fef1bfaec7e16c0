import { redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { getApp } from '$lib/server/app';
import { exportFileName, exportPersonalData } from '$lib/modules/people/gdpr.server';
import { profileTimezone } from '$lib/modules/people/profile.server';

/** "Download my data": the person's personal data as a JSON attachment (signed-in only). */
export const GET: RequestHandler = async ({ locals }) => {
	if (!locals.user) redirect(303, '/login?redirectTo=%2Fprofile');
	const db = (await getApp()).database.db;
	const now = new Date();
	const data = await exportPersonalData(db, locals.user.id, now);
	const filename = exportFileName(now, await profileTimezone(db, locals.user.id));
	return new Response(JSON.stringify(data, null, 2), {
		headers: {
			'content-type': 'application/json; charset=utf-8',
			'content-disposition': `attachment; filename="${filename}"`,
			// why: personal data must not sit in a shared or browser cache.
			'cache-control': 'no-store'
		}
	});
};
