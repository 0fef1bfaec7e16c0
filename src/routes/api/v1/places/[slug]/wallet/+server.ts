import { apiRoute, methodNotAllowed } from '$lib/server/http/api';
import { walletOutput } from '$lib/modules/money/checkout-api-schemas';
import { myWallet } from '$lib/modules/money/wallet.server';

export const GET = apiRoute({
	method: 'GET',
	path: '/places/{slug}/wallet',
	summary: 'The caller’s wallet in the place: euro credit, machine minutes and latest movements',
	auth: 'user',
	errors: ['forbidden', 'not_found'],
	output: walletOutput,
	handler: async (ctx) => {
		const { scope } = await ctx.place(ctx.params.slug);
		const w = await myWallet(ctx.db, scope, 100);
		return { cents: w.cents, minutes: w.minutes, entries: w.entries.map((e) => ({ id: e.id, unit: e.unit, amount: e.amount, kind: e.kind, orderId: e.orderId, note: e.note, createdAt: e.createdAt })) };
	}
});

export const fallback = methodNotAllowed('/places/{slug}/wallet');
