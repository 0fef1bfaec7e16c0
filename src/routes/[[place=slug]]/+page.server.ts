import type { PageServerLoad } from './$types';
import { getApp } from '$lib/server/app';
import { placeOpeningHours } from '$lib/modules/booking/hours.server';

// The place's home page shows its usual week from the opening rules (the one source, set on /admin/horaires).
export const load: PageServerLoad = async ({ parent }) => {
	const { place } = await parent();
	if (!place) return { openingHours: null };
	const { database } = await getApp();
	return { openingHours: await placeOpeningHours(database.db, place.id) };
};
