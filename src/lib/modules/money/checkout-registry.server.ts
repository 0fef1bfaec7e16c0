// The registry of sellable kinds: what a module plugs into the shared checkout (decision 009).
// Kept apart from checkout.server.ts so modules can register without importing the checkout (no cycles).
import type { Tx } from '../../server/db/client';
import type { checkoutOrder, checkoutOrderLine } from './checkout-schema';

export type OrderRow = typeof checkoutOrder.$inferSelect;
export type OrderLineRow = typeof checkoutOrderLine.$inferSelect;

/** Why a reservation is released. */
export type ReleaseReason = 'failed' | 'expired' | 'cancelled';

/** What a sellable is told about the line it handles. Runs inside the order's transaction. */
export interface SellableContext {
	placeId: string;
	order: OrderRow;
	line: OrderLineRow;
	/** Who triggered the change (buyer, staff, null for a provider webhook or the expiry sweep). */
	actorId: string | null;
	now: Date;
}

/**
 * A kind of thing the checkout sells. Every hook runs inside the checkout's transaction (`tx`) and may throw an
 * AppError to refuse (reserve: nothing is created; confirm: the payment is not recorded and the provider retries).
 * - reserve: hold what is sold (a seat, a machine slot) when the order is created;
 * - confirm: make it final when the order is paid (credit a wallet, confirm a booking);
 * - release: give it back when the order fails, expires or is cancelled. Called at most once per line.
 */
export interface Sellable {
	reserve(tx: Tx, ctx: SellableContext): Promise<void>;
	confirm(tx: Tx, ctx: SellableContext): Promise<void>;
	release(tx: Tx, ctx: SellableContext, reason: ReleaseReason): Promise<void>;
}

const registry = new Map<string, Sellable>();

/** Registers a sellable kind (once per kind; registering the same object again is harmless). */
export function registerSellable(kind: string, sellable: Sellable): void {
	if (!/^[a-z][a-z0-9_]{0,39}$/.test(kind)) throw new Error(`registerSellable: bad kind ${kind}`);
	const existing = registry.get(kind);
	if (existing && existing !== sellable) throw new Error(`registerSellable: kind ${kind} is already registered`);
	registry.set(kind, sellable);
}

/** Removes a kind (tests only). */
export function unregisterSellable(kind: string): void {
	registry.delete(kind);
}

export function getSellable(kind: string): Sellable | undefined {
	return registry.get(kind);
}

export function sellableKinds(): string[] {
	return [...registry.keys()].sort();
}
