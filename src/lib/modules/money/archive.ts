// The archive of a closure period in open formats: a .zip holding the period's receipts and closures as
// JSON and CSV, and a manifest giving each file's SHA-256 and size. Pure: the caller reads the rows.
import crypto from 'node:crypto';
import { zipSync } from 'fflate';
import { canonicalJson } from './rules';
import type { Closure } from './closures.server';
import type { Receipt } from './commands.server';

export interface ArchivePlace {
	id: string;
	slug: string;
	name: string;
	address: string;
	siret: string | null;
	vatNumber: string | null;
	timezone: string;
}

export interface ArchiveInput {
	place: ArchivePlace;
	closure: Closure;
	/** The closures it sums (day closures of a month; months and days of a year), number order. */
	parts: readonly Closure[];
	/** The real receipts of the main series it covers, number order. */
	receipts: readonly Receipt[];
	version: string;
	createdAt: Date;
}

export interface ManifestFile {
	name: string;
	sha256: string;
	bytes: number;
}

export interface ArchiveManifest {
	format: 'lieu-closure-archive';
	formatVersion: 1;
	tool: { name: 'lieu'; version: string };
	createdAt: string;
	place: ArchivePlace;
	closure: { id: string; kind: string; number: number; periodStart: string; periodEnd: string; closedAt: string; receiptCount: number; totalCents: number; perpetualTotalCents: number; previousHash: string; hash: string };
	receipts: { series: 'main'; count: number; first: { number: number; previousHash: string; hash: string } | null; last: { number: number; hash: string } | null };
	hashing: string;
	files: ManifestFile[];
}

const iso = (d: Date | string) => (typeof d === 'string' ? new Date(d).toISOString() : d.toISOString());

/** One CSV field (RFC 4180: quoted when it holds a comma, quote, CR or LF). */
export function csvField(v: unknown): string {
	const s = v === null || v === undefined ? '' : typeof v === 'object' && !(v instanceof Date) ? canonicalJson(v) : v instanceof Date ? v.toISOString() : String(v);
	return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(header: readonly string[], rows: ReadonlyArray<readonly unknown[]>): string {
	return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** A receipt as archived: every stored field, the hashed ones exactly as hashed (ISO instant). */
export function archivedReceipt(r: Receipt) {
	return {
		id: r.id,
		placeId: r.placeId,
		series: r.series,
		number: r.number,
		training: r.training,
		kind: r.kind,
		correctsId: r.correctsId,
		issuedAt: iso(r.issuedAt),
		till: r.till,
		operatorRef: r.operatorRef,
		lines: r.lines,
		totals: r.totals,
		payments: r.payments,
		totalCents: r.totalCents,
		previousHash: r.previousHash,
		hash: r.hash
	};
}

/** A closure as archived: every stored field (closedAt as an ISO instant, as hashed). */
export function archivedClosure(c: Closure) {
	return {
		id: c.id,
		placeId: c.placeId,
		kind: c.kind,
		number: c.number,
		periodStart: c.periodStart,
		periodEnd: c.periodEnd,
		closedAt: iso(c.closedAt),
		operatorRef: c.operatorRef,
		receiptCount: c.receiptCount,
		firstReceiptNumber: c.firstReceiptNumber,
		lastReceiptNumber: c.lastReceiptNumber,
		totals: c.totals,
		payments: c.payments,
		totalCents: c.totalCents,
		perpetualTotalCents: c.perpetualTotalCents,
		previousHash: c.previousHash,
		hash: c.hash
	};
}

const RECEIPT_COLUMNS = ['number', 'issued_at', 'kind', 'corrects_id', 'till', 'operator_ref', 'total_cents', 'totals', 'payments', 'lines', 'previous_hash', 'hash', 'id'] as const;
const CLOSURE_COLUMNS = ['kind', 'number', 'period_start', 'period_end', 'closed_at', 'receipt_count', 'first_receipt_number', 'last_receipt_number', 'total_cents', 'perpetual_total_cents', 'totals', 'payments', 'previous_hash', 'hash', 'id'] as const;

const sha256 = (b: Uint8Array) => crypto.createHash('sha256').update(b).digest('hex');

/** The file name of a closure's archive, e.g. "la-treso-cloture-month-3-2026-03.zip". */
export function archiveFileName(slug: string, c: Pick<Closure, 'kind' | 'number' | 'periodStart' | 'periodEnd'>): string {
	const period = c.kind === 'year' ? c.periodStart.slice(0, 4) : c.kind === 'month' ? c.periodStart.slice(0, 7) : c.periodEnd;
	return `${slug}-closure-${c.kind}-${c.number}-${period}.zip`;
}

/** Builds the .zip of a closure period and its manifest. */
export function buildClosureArchive(input: ArchiveInput): { zip: Uint8Array; manifest: ArchiveManifest } {
	const enc = new TextEncoder();
	const receipts = input.receipts.map(archivedReceipt);
	const closures = [input.closure, ...input.parts].map(archivedClosure);
	const files: Record<string, Uint8Array> = {
		'receipts.json': enc.encode(JSON.stringify(receipts, null, 2) + '\n'),
		'receipts.csv': enc.encode(
			toCsv(
				RECEIPT_COLUMNS,
				receipts.map((r) => [r.number, r.issuedAt, r.kind, r.correctsId, r.till, r.operatorRef, r.totalCents, r.totals, r.payments, r.lines, r.previousHash, r.hash, r.id])
			)
		),
		'closures.json': enc.encode(JSON.stringify(closures, null, 2) + '\n'),
		'closures.csv': enc.encode(
			toCsv(
				CLOSURE_COLUMNS,
				closures.map((c) => [c.kind, c.number, c.periodStart, c.periodEnd, c.closedAt, c.receiptCount, c.firstReceiptNumber, c.lastReceiptNumber, c.totalCents, c.perpetualTotalCents, c.totals, c.payments, c.previousHash, c.hash, c.id])
			)
		)
	};
	const first = receipts[0];
	const last = receipts[receipts.length - 1];
	const c = closures[0];
	const manifest: ArchiveManifest = {
		format: 'lieu-closure-archive',
		formatVersion: 1,
		tool: { name: 'lieu', version: input.version },
		createdAt: input.createdAt.toISOString(),
		place: input.place,
		closure: { id: c.id, kind: c.kind, number: c.number, periodStart: c.periodStart, periodEnd: c.periodEnd, closedAt: c.closedAt, receiptCount: c.receiptCount, totalCents: c.totalCents, perpetualTotalCents: c.perpetualTotalCents, previousHash: c.previousHash, hash: c.hash },
		receipts: {
			series: 'main',
			count: receipts.length,
			first: first ? { number: first.number, previousHash: first.previousHash, hash: first.hash } : null,
			last: last ? { number: last.number, hash: last.hash } : null
		},
		hashing:
			'receipt.hash = SHA-256 hex of (previousHash + canonical JSON of placeId, series, training, number, kind, correctsId, issuedAt, till, operatorRef, lines, totals, payments, totalCents); canonical JSON = keys sorted, no spaces. Closures likewise, per kind.',
		files: Object.entries(files).map(([name, bytes]) => ({ name, sha256: sha256(bytes), bytes: bytes.length }))
	};
	const zip = zipSync({ ...files, 'manifest.json': enc.encode(JSON.stringify(manifest, null, 2) + '\n') }, { level: 6, mtime: input.createdAt });
	return { zip, manifest };
}
