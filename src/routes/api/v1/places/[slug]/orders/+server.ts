import { apiRoute, methodNotAllowed } from '$lib/server/http/api';
import { log } from '$lib/server/log';
import { translate } from '$lib/i18n';
import { orderInput, createOrder } from '$lib/modules/money/checkout.server';
import { orderCreatedOutput } from '$lib/modules/money/checkout-api-schemas';
import { configuredProvider, instanceBaseUrl, startOnlinePayment } from '$lib/modules/money/payments/online.server';

export const POST = apiRoute({
	method: 'POST',
	path: '/places/{slug}/orders',
	summary: 'A member orders catalogue products and/or wallet credit for themselves',
	description:
		'{"products":[{"productId","quantity","context"}],"packId"?,"creditCents"?}: prices from the catalogue at the member’s price. The order is pending until paid (online through payUrl, with wallet credit, or on site) and expires after an hour.',
	auth: 'user',
	status: 201,
	errors: ['forbidden', 'not_found'],
	input: orderInput,
	output: orderCreatedOutput,
	handler: async (ctx) => {
		const { scope, base } = await ctx.place(ctx.params.slug);
		const o = await createOrder(ctx.db, scope, ctx.input);
		let payUrl: string | undefined;
		if (configuredProvider() && o.totalCents >= 50) {
			try {
				payUrl = await startOnlinePayment(ctx.db, scope, o.id, { orderUrl: `${instanceBaseUrl()}${base}/commande/${o.id}`, locale: ctx.locale, buyerEmail: ctx.user.email, label: `${translate(ctx.locale, 'order.title')} ${o.id.slice(0, 8)}` });
			} catch (err) {
				// why: the order exists and can still be paid from its page; the provider may be down for a moment.
				log().warn({ err, orderId: o.id }, 'online checkout not started');
			}
		}
		return { id: o.id, status: o.status, totalCents: o.totalCents, ...(payUrl ? { payUrl } : {}) };
	}
});

export const fallback = methodNotAllowed('/places/{slug}/orders');
