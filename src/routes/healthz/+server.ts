import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { getApp } from '$lib/server/app';

/** 200 when the database answers a query, 503 otherwise. */
export const GET: RequestHandler = async () => {
	try {
		const { database } = await getApp();
		await database.query('SELECT 1');
		return json({ status: 'ok', database: database.kind });
	} catch {
		return json({ status: 'unavailable' }, { status: 503 });
	}
};
