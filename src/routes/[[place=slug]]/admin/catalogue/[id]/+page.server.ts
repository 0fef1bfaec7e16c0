import type { Actions, PageServerLoad } from './$types';
import { error } from '@sveltejs/kit';
import { listCatalogue, setMenuComponents, updateProduct } from '$lib/modules/money/catalogue.server';
import { ACTIVITIES, VAT_CATEGORIES } from '$lib/modules/money/schema';
import { runForm } from '$lib/server/http/forms';
import { translate } from '$lib/i18n';
import { adminContext } from '../../guard.server';
import { productFromForm } from '../form.server';

/** Empty component rows offered after the existing ones (works without JavaScript). */
const EXTRA_ROWS = 3;

export const load: PageServerLoad = async (event) => {
	const { db, scope } = await adminContext(event, ['cafe.menu', 'money.manage']);
	const all = await listCatalogue(db, scope);
	const product = all.find((p) => p.id === event.params.id);
	if (!product) error(404, { message: translate(event.locals.locale, 'error.not_found'), code: 'not_found' });
	return {
		product,
		// Candidates for a menu's components: the place's other products that are not menus.
		candidates: all.filter((p) => p.id !== product.id && p.vatCategory !== 'menu').map((p) => ({ id: p.id, name: p.name })),
		rows: product.components.length + EXTRA_ROWS,
		created: event.url.searchParams.get('created') === '1',
		activities: [...ACTIVITIES],
		vatCategories: [...VAT_CATEGORIES]
	};
};

export const actions: Actions = {
	update: async (event) => {
		const { db, scope } = await adminContext(event, ['cafe.menu', 'money.manage']);
		return runForm(event, async (fd) => {
			await updateProduct(db, scope, event.params.id, { ...productFromForm(fd), active: fd.get('active') === 'on' } as never);
			return { success: true, message: translate(event.locals.locale, 'common.saved'), form: 'update' };
		});
	},
	components: async (event) => {
		const { db, scope } = await adminContext(event, ['cafe.menu', 'money.manage']);
		return runForm(event, async (fd) => {
			const ids = fd.getAll('componentId[]').map(String);
			const qty = fd.getAll('quantity[]').map(String);
			const components = ids
				.map((productId, i) => ({ productId: productId.trim(), quantity: /^\d{1,2}$/.test(qty[i]?.trim() ?? '') ? Number(qty[i].trim()) : qty[i]?.trim() ? Number.NaN : 1 }))
				.filter((c) => c.productId !== '');
			await setMenuComponents(db, scope, event.params.id, { components } as never);
			return { success: true, message: translate(event.locals.locale, 'common.saved'), form: 'components' };
		});
	}
};
