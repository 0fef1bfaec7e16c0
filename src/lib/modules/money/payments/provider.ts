// The online payment provider interface (decision 009): Stripe Checkout or HelloAsso checkout, chosen by
// the configuration. A provider starts a hosted checkout for an order and says where to send the buyer;
// what comes back (webhooks) is authenticated by each provider's own module, then applied through
// applyProviderEvent (checkout.server.ts), exactly once.

export type ProviderName = 'stripe' | 'helloasso';

export interface CheckoutStart {
	orderId: string;
	placeId: string;
	amountCents: number;
	/** Shown on the provider's page. */
	label: string;
	/** Where the provider sends the buyer after paying / when they give up. */
	successUrl: string;
	cancelUrl: string;
	/** When the provider's checkout must stop accepting a payment (before the order expires). */
	expiresAt: Date;
	locale: 'fr' | 'en';
	buyerEmail?: string;
}

export interface StartedCheckout {
	/** The provider's id of this checkout (Stripe session id, HelloAsso checkout intent id). */
	providerRef: string;
	redirectUrl: string;
}

export interface PaymentProvider {
	name: ProviderName;
	start(c: CheckoutStart): Promise<StartedCheckout>;
}
