// Paying an order online: picks the configured provider (Stripe first, else HelloAsso), starts its hosted
// checkout and records it on the order (attachCheckout), so webhooks can find the order.
import type { Db } from '../../../server/db/client';
import { env } from '../../../server/env';
import { AppError } from '../../../server/errors';
import type { PlaceScope } from '../../places/policy';
import { attachCheckout, getOrder } from '../checkout.server';
import { helloAssoConfigured, helloAssoProvider } from './helloasso.server';
import { stripeProvider } from './stripe.server';
import type { PaymentProvider } from './provider';

/** The online provider of this instance, or null (orders are then paid on site). */
export function configuredProvider(): PaymentProvider | null {
	if (env().STRIPE_SECRET_KEY) return stripeProvider;
	if (helloAssoConfigured()) return helloAssoProvider;
	return null;
}

/** The provider's checkout stays open at least this long (Stripe's minimum is 30 minutes). */
const MIN_CHECKOUT_MS = 31 * 60 * 1000;
/** The order outlives its checkout by this margin, so a payment never lands on an expired order. */
const MARGIN_MS = 5 * 60 * 1000;

/**
 * Starts the online payment of the caller's pending order; returns the provider's URL to send them to.
 * `orderUrl` is the absolute URL of the order page (the provider sends the buyer back there).
 */
export async function startOnlinePayment(db: Db, scope: PlaceScope, orderId: string, o: { orderUrl: string; locale: 'fr' | 'en'; buyerEmail?: string; label: string; now?: Date }): Promise<string> {
	const provider = configuredProvider();
	if (!provider) throw new AppError('conflict', { fields: { _: 'checkout.no_provider' } });
	const order = await getOrder(db, scope, orderId, { now: o.now });
	if (order.buyerId !== scope.userId) throw new AppError('not_found', { detail: 'order' });
	if (order.status !== 'pending') throw new AppError('conflict', { fields: { _: `checkout.already_${order.status}` } });
	if (order.totalCents < 50) throw new AppError('conflict', { fields: { _: 'checkout.too_small_online' } });
	const now = (o.now ?? new Date()).getTime();
	const checkoutEnds = Math.max(now + MIN_CHECKOUT_MS, order.expiresAt.getTime() - MARGIN_MS);
	const started = await provider.start({
		orderId: order.id,
		placeId: scope.placeId,
		amountCents: order.totalCents,
		label: o.label,
		successUrl: `${o.orderUrl}?retour=ok`,
		cancelUrl: `${o.orderUrl}?retour=annule`,
		expiresAt: new Date(checkoutEnds),
		locale: o.locale,
		buyerEmail: o.buyerEmail
	});
	const attached = await attachCheckout(db, order.id, { provider: provider.name, providerRef: started.providerRef, expiresAt: new Date(checkoutEnds + MARGIN_MS), actorId: scope.userId });
	if (!attached) throw new AppError('conflict', { fields: { _: 'checkout.already_expired' } });
	return started.redirectUrl;
}

/** Base URL of the instance for absolute links (LIEU_BASE_URL / ORIGIN). */
export function instanceBaseUrl(): string {
	return env().baseUrl;
}
