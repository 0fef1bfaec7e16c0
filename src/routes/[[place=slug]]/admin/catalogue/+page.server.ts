import type { Actions, PageServerLoad } from './$types';
import { redirect } from '@sveltejs/kit';
import { listCatalogue } from '$lib/modules/money/catalogue.server';
import { createProduct } from '$lib/modules/money/commands.server';
import { ACTIVITIES, VAT_CATEGORIES } from '$lib/modules/money/schema';
import { runForm } from '$lib/server/http/forms';
import { adminContext } from '../guard.server';
import { productFromForm } from './form.server';

export const load: PageServerLoad = async (event) => {
	const { db, scope } = await adminContext(event, ['cafe.menu', 'money.manage']);
	return { products: await listCatalogue(db, scope), activities: [...ACTIVITIES], vatCategories: [...VAT_CATEGORIES] };
};

export const actions: Actions = {
	default: async (event) => {
		const { db, scope, base } = await adminContext(event, ['cafe.menu', 'money.manage']);
		const result = await runForm(event, async (fd) => createProduct(db, scope, productFromForm(fd) as never));
		if (result && 'id' in result) redirect(303, `${base}/admin/catalogue/${result.id}?created=1`);
		return result;
	}
};
