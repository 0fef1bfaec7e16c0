import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { eq } from 'drizzle-orm';
import { runForm } from '$lib/server/http/forms';
import { isAppError } from '$lib/server/errors';
import { translate } from '$lib/i18n';
import { receipt } from '$lib/server/db/schema';
import { cancelOrder, getOrder, payOrderWithWallet } from '$lib/modules/money/checkout.server';
import { walletBalances } from '$lib/modules/money/wallet.server';
import { configuredProvider, instanceBaseUrl, startOnlinePayment } from '$lib/modules/money/payments/online.server';
import { MATERIAL_SELLABLE } from '$lib/modules/booking/materials.server';
import { memberContext } from '../../member-guard.server';

export const load: PageServerLoad = async (event) => {
	const { db, scope } = await memberContext(event);
	let order;
	try {
		order = await getOrder(db, scope, event.params.id);
	} catch (e) {
		if (isAppError(e) && e.code === 'not_found') error(404, { message: translate(event.locals.locale, 'error.not_found'), code: 'not_found' });
		throw e;
	}
	const mine = order.buyerId === scope.userId;
	const buysCredit = order.lines.some((l) => l.kind === 'wallet_credit');
	// why: an order for materials already used is a debt: it does not lapse and its buyer cannot cancel it (ADR 014).
	const debt = order.lines.some((l) => l.kind === MATERIAL_SELLABLE);
	const balance = mine && !buysCredit && order.status === 'pending' ? (await walletBalances(db, scope.placeId, scope.userId!)).cents : 0;
	const [r] = order.receiptId ? await db.select({ number: receipt.number }).from(receipt).where(eq(receipt.id, order.receiptId)) : [];
	const retour = event.url.searchParams.get('retour');
	return {
		order: {
			id: order.id,
			status: order.status,
			totalCents: order.totalCents,
			expiresAt: order.expiresAt,
			paidAt: order.paidAt,
			paymentMethod: order.paymentMethod,
			receiptNumber: r?.number ?? null,
			lines: order.lines.map((l) => ({ position: l.position, kind: l.kind, refId: l.refId, label: l.label, quantity: l.quantity, unitPriceCents: l.unitPriceCents }))
		},
		mine,
		debt,
		online: mine && configuredProvider() !== null && order.totalCents >= 50,
		walletCents: balance,
		canPayWithWallet: mine && !buysCredit && order.status === 'pending' && order.totalCents > 0 && balance >= order.totalCents,
		retour: retour === 'ok' || retour === 'annule' ? retour : null
	};
};

export const actions: Actions = {
	pay: async (event) => {
		const { db, scope, base } = await memberContext(event);
		const result = await runForm(event, async () => {
			const orderUrl = `${instanceBaseUrl()}${base}/commande/${event.params.id}`;
			const locale = event.locals.locale;
			return startOnlinePayment(db, scope, event.params.id, { orderUrl, locale, buyerEmail: event.locals.user?.email, label: `${translate(locale, 'order.title')} ${event.params.id.slice(0, 8)}` });
		});
		if (typeof result !== 'string') return result;
		redirect(303, result);
	},
	wallet: async (event) => {
		const { db, scope, base } = await memberContext(event);
		const result = await runForm(event, async () => {
			await payOrderWithWallet(db, scope, event.params.id);
			return true as const;
		});
		if (result !== true) return result;
		redirect(303, `${base}/commande/${event.params.id}`);
	},
	cancel: async (event) => {
		const { db, scope, base } = await memberContext(event);
		const result = await runForm(event, async () => {
			await cancelOrder(db, scope, event.params.id);
			return true as const;
		});
		if (result !== true) return result;
		redirect(303, `${base}/commande/${event.params.id}`);
	}
};
