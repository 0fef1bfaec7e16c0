// Reads a closure period for its archive (.zip): the place identity, the closure, the closures it sums and
// its receipts. The admin page (money.view) and the CLI (operator) both call it.
import { and, asc, between, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../server/db/client';
import { closure, place, receipt } from '../../server/db/schema';
import { AppError } from '../../server/errors';
import { LIEU_VERSION } from '../../server/version';
import { requirePermission, type PlaceScope } from '../places/policy';
import { buildClosureArchive, archiveFileName, type ArchiveManifest } from './archive';
import type { Closure } from './closures.server';
import type { ClosureKind } from './schema';

/** The closures a closure sums (any place id: callers have checked access). */
async function partsOf(db: DbOrTx, c: Closure): Promise<Closure[]> {
	if (c.kind === 'day') return [];
	const q = (kind: ClosureKind, on: 'periodStart' | 'periodEnd') =>
		db
			.select()
			.from(closure)
			.where(and(eq(closure.placeId, c.placeId), eq(closure.kind, kind), between(closure[on], c.periodStart, c.periodEnd)))
			.orderBy(asc(closure.number));
	return c.kind === 'month' ? q('day', 'periodEnd') : [...(await q('month', 'periodStart')), ...(await q('day', 'periodEnd'))];
}

/** Builds the archive of a closure of a place (no permission check: for trusted callers). */
export async function archiveOfClosure(db: DbOrTx, c: Closure, now = new Date()): Promise<{ fileName: string; zip: Uint8Array; manifest: ArchiveManifest }> {
	const [p] = await db.select().from(place).where(eq(place.id, c.placeId));
	if (!p) throw new AppError('not_found');
	const parts = await partsOf(db, c);
	const receipts =
		c.receiptCount > 0 && c.firstReceiptNumber !== null && c.lastReceiptNumber !== null
			? await db
					.select()
					.from(receipt)
					.where(and(eq(receipt.placeId, c.placeId), eq(receipt.series, 'main'), eq(receipt.training, false), between(receipt.number, c.firstReceiptNumber, c.lastReceiptNumber)))
					.orderBy(asc(receipt.number))
			: [];
	const { zip, manifest } = buildClosureArchive({
		place: { id: p.id, slug: p.slug, name: p.name, address: p.address, siret: p.siret, vatNumber: p.vatNumber, timezone: p.timezone },
		closure: c,
		parts,
		receipts,
		version: LIEU_VERSION,
		createdAt: now
	});
	return { fileName: archiveFileName(p.slug, c), zip, manifest };
}

/** The archive of one closure of the scope's place (money.view). */
export async function closureArchive(db: DbOrTx, scope: PlaceScope, closureId: string) {
	requirePermission(scope, 'money.view');
	const [c] = typeof closureId === 'string' && closureId.length <= 64 ? await db.select().from(closure).where(and(eq(closure.placeId, scope.placeId), eq(closure.id, closureId))) : [];
	if (!c) throw new AppError('not_found');
	return archiveOfClosure(db, c);
}

/**
 * Finds a closure of a place for the CLI: by number within a kind (day by default), or by period
 * ("YYYY-MM" month closure, "YYYY" year closure). Undefined when there is none.
 */
export async function findClosure(db: DbOrTx, placeId: string, q: { number?: number; kind?: ClosureKind; period?: string }): Promise<Closure | undefined> {
	let where;
	if (q.number !== undefined) where = and(eq(closure.placeId, placeId), eq(closure.kind, q.kind ?? 'day'), eq(closure.number, q.number));
	else if (q.period && /^\d{4}-(0[1-9]|1[0-2])$/.test(q.period)) where = and(eq(closure.placeId, placeId), eq(closure.kind, 'month'), eq(closure.periodStart, `${q.period}-01`));
	else if (q.period && /^\d{4}$/.test(q.period)) where = and(eq(closure.placeId, placeId), eq(closure.kind, 'year'), eq(closure.periodStart, `${q.period}-01-01`));
	else return undefined;
	const [c] = await db.select().from(closure).where(where).limit(1);
	return c;
}
