import { apiRoute, methodNotAllowed } from '$lib/server/http/api';
import { orderOutput } from '$lib/modules/money/checkout-api-schemas';
import { getOrder } from '$lib/modules/money/checkout.server';

export const GET = apiRoute({
	method: 'GET',
	path: '/places/{slug}/orders/{id}',
	summary: 'One order: the caller’s own, or any order of the place for staff (cafe.sell, money.view, money.manage)',
	auth: 'user',
	errors: ['forbidden', 'not_found'],
	output: orderOutput,
	handler: async (ctx) => {
		const { scope } = await ctx.place(ctx.params.slug);
		const o = await getOrder(ctx.db, scope, ctx.params.id);
		return {
			id: o.id,
			status: o.status,
			totalCents: o.totalCents,
			currency: o.currency,
			expiresAt: o.expiresAt,
			paidAt: o.paidAt,
			paymentMethod: o.paymentMethod,
			provider: o.provider,
			lines: o.lines.map((l) => ({ kind: l.kind, refId: l.refId, productId: l.productId, label: l.label, quantity: l.quantity, unitPriceCents: l.unitPriceCents }))
		};
	}
});

export const fallback = methodNotAllowed('/places/{slug}/orders/{id}');
