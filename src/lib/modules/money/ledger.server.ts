// Verification of the till journal: every chain (series × training) of a place, walked in number order by
// pages (keyset on the number), each hash recomputed, numbers 1..n without gaps, and the chain's end
// matching its journal_sequence row (so a removed last receipt shows too).
import { and, asc, eq, gt } from 'drizzle-orm';
import type { DbOrTx } from '../../server/db/client';
import { journalSequence, receipt } from '../../server/db/schema';
import { GENESIS_HASH, receiptHash } from './rules';

export type BrokenReason = 'missing' | 'previous_hash' | 'hash' | 'sequence';

export interface LedgerReport {
	ok: boolean;
	/** Receipts checked (all of them when ok). */
	checked: number;
	/** Chains walked. */
	chains: number;
	firstBroken?: { series: string; training: boolean; number: number; reason: BrokenReason };
}

/** Receipts read per query: memory stays flat whatever the size of the journal. */
export const LEDGER_PAGE_SIZE = 5000;

/**
 * Re-checks the whole till journal of a place (operator use: CLI, admin page). Stops at the first broken
 * entry: a missing number, a previous-hash that is not the hash before it, a hash that does not match its
 * content, or a chain whose end disagrees with its sequence row.
 */
export async function verifyLedger(db: DbOrTx, placeId: string, opts: { pageSize?: number } = {}): Promise<LedgerReport> {
	const pageSize = opts.pageSize ?? LEDGER_PAGE_SIZE;
	const seqs = await db.select().from(journalSequence).where(eq(journalSequence.placeId, placeId));
	const inJournal = await db.selectDistinct({ series: receipt.series, training: receipt.training }).from(receipt).where(eq(receipt.placeId, placeId));
	const chains = new Map<string, { series: string; training: boolean; seq?: (typeof seqs)[number] }>();
	for (const c of inJournal) chains.set(`${c.series}\u0000${c.training}`, { series: c.series, training: c.training });
	for (const s of seqs) chains.set(`${s.series}\u0000${s.training}`, { series: s.series, training: s.training, seq: s });
	const ordered = [...chains.values()].sort((a, b) => (a.series < b.series ? -1 : a.series > b.series ? 1 : Number(a.training) - Number(b.training)));

	let checked = 0;
	for (const chain of ordered) {
		const broken = (number: number, reason: BrokenReason): LedgerReport => ({ ok: false, checked, chains: chains.size, firstBroken: { series: chain.series, training: chain.training, number, reason } });
		let previous = GENESIS_HASH;
		let expected = 1;
		for (;;) {
			const page = await db
				.select()
				.from(receipt)
				.where(and(eq(receipt.placeId, placeId), eq(receipt.series, chain.series), eq(receipt.training, chain.training), gt(receipt.number, expected - 1)))
				.orderBy(asc(receipt.number))
				.limit(pageSize);
			for (const r of page) {
				if (r.number !== expected) return broken(expected, 'missing');
				if (r.previousHash !== previous) return broken(r.number, 'previous_hash');
				if (receiptHash(r.previousHash, r) !== r.hash) return broken(r.number, 'hash');
				previous = r.hash;
				expected++;
				checked++;
			}
			if (page.length < pageSize) break;
		}
		const last = expected - 1;
		if (!chain.seq) return broken(last, 'sequence');
		if (chain.seq.lastNumber > last) return broken(last + 1, 'missing');
		if (chain.seq.lastNumber !== last || chain.seq.lastHash !== previous) return broken(last, 'sequence');
	}
	return { ok: true, checked, chains: chains.size };
}
