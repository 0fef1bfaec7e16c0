import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { runForm } from '$lib/server/http/forms';
import { AppError } from '$lib/server/errors';
import { createOrder, listMyOrders } from '$lib/modules/money/checkout.server';
import { listWalletPacks, myWallet } from '$lib/modules/money/wallet.server';
import { parseTypedAmount } from '$lib/modules/money/checkout-rules';
import { memberContext } from '../member-guard.server';

export const load: PageServerLoad = async (event) => {
	const { db, scope } = await memberContext(event);
	const [wallet, packs, orders] = await Promise.all([myWallet(db, scope, 50), listWalletPacks(db, scope), listMyOrders(db, scope, 5)]);
	return {
		wallet: { cents: wallet.cents, minutes: wallet.minutes, entries: wallet.entries.map((e) => ({ id: e.id, unit: e.unit, amount: e.amount, kind: e.kind, note: e.note, createdAt: e.createdAt, orderId: e.orderId })) },
		packs: packs.map((p) => ({ id: p.id, label: p.label, unit: p.unit, amount: p.amount, priceCents: p.priceCents })),
		orders: orders.map((o) => ({ id: o.id, status: o.status, totalCents: o.totalCents, createdAt: o.createdAt }))
	};
};

export const actions: Actions = {
	buy: async (event) => {
		const { db, scope, base } = await memberContext(event);
		const result = await runForm(event, async (fd) => {
			const packId = fd.get('packId');
			const o = await createOrder(db, scope, { packId: typeof packId === 'string' ? packId : undefined });
			return o.id;
		});
		if (typeof result !== 'string') return result;
		redirect(303, `${base}/commande/${result}`);
	},
	credit: async (event) => {
		const { db, scope, base } = await memberContext(event);
		const result = await runForm(event, async (fd) => {
			const cents = parseTypedAmount(fd.get('amount'), 'cents');
			if (cents === undefined || cents < 500 || cents > 50_000) throw new AppError('invalid_input', { fields: { amount: 'field.invalid' } });
			const o = await createOrder(db, scope, { creditCents: cents });
			return o.id;
		});
		if (typeof result !== 'string') return result;
		redirect(303, `${base}/commande/${result}`);
	}
};
