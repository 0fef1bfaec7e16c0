// The archive builder: a .zip whose manifest gives every file's SHA-256 and size, whose receipts re-verify
// as a chain from the JSON alone, and whose CSV quotes what needs quoting.
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { unzipSync, strFromU8 } from 'fflate';
import { archiveFileName, buildClosureArchive, csvField, type ArchiveManifest } from './archive';
import { closureHash, GENESIS_HASH, receiptHash } from './rules';
import type { Closure } from './closures.server';
import type { Receipt } from './commands.server';

function chain(n: number): Receipt[] {
	const out: Receipt[] = [];
	let prev = GENESIS_HASH;
	for (let i = 1; i <= n; i++) {
		const r = {
			id: `r${i}`,
			placeId: 'p1',
			series: 'main',
			number: i,
			training: false,
			kind: 'sale' as const,
			correctsId: null,
			issuedAt: new Date(Date.UTC(2026, 2, 10, 10, i)),
			till: '1',
			operatorRef: 'u1',
			lines: [{ productId: 'x', label: i === 2 ? 'Café, "serré"\nlong' : 'Plat', activity: 'cafe' as const, quantity: 1, unitPriceCents: 1000, context: 'on_site' as const, rateBp: 1000, outsideScope: false, totalCents: 1000, htCents: 909, vatCents: 91 }],
			totals: [{ rateBp: 1000, outsideScope: false, htCents: 909, vatCents: 91, ttcCents: 1000 }],
			payments: [{ method: 'cash' as const, amountCents: 1000 }],
			totalCents: 1000,
			previousHash: prev,
			hash: ''
		};
		r.hash = receiptHash(prev, r);
		prev = r.hash;
		out.push(r);
	}
	return out;
}

const receipts = chain(4);
const base = { placeId: 'p1', closedAt: new Date('2026-03-10T22:00:00Z'), operatorRef: 'u1', receiptCount: 4, firstReceiptNumber: 1, lastReceiptNumber: 4, totals: receipts[0].totals.map((t) => ({ ...t, htCents: 3636, vatCents: 364, ttcCents: 4000 })), payments: [{ method: 'cash' as const, amountCents: 4000 }], totalCents: 4000, perpetualTotalCents: 4000, previousHash: GENESIS_HASH };
const day: Closure = { ...base, id: 'c1', kind: 'day', number: 1, periodStart: '2026-03-10', periodEnd: '2026-03-10', hash: '' };
day.hash = closureHash(GENESIS_HASH, day);
const month: Closure = { ...base, id: 'm1', kind: 'month', number: 1, periodStart: '2026-03-01', periodEnd: '2026-03-31', hash: '' };
month.hash = closureHash(GENESIS_HASH, month);
const place = { id: 'p1', slug: 'cafe', name: 'Café, "Le Z"', address: '1 rue X', siret: '12345678900011', vatNumber: 'FR00123456789', timezone: 'Europe/Paris' };

describe('closure archive', () => {
	const { zip, manifest } = buildClosureArchive({ place, closure: month, parts: [day], receipts, version: '9.9.9', createdAt: new Date('2026-04-01T08:00:00Z') });
	const files = unzipSync(zip);

	it('holds the five files; the manifest names every other file with its SHA-256 and size', () => {
		expect(Object.keys(files).sort()).toEqual(['closures.csv', 'closures.json', 'manifest.json', 'receipts.csv', 'receipts.json']);
		const m = JSON.parse(strFromU8(files['manifest.json'])) as ArchiveManifest;
		expect(m).toEqual(JSON.parse(JSON.stringify(manifest)));
		expect(m.files.map((f) => f.name).sort()).toEqual(['closures.csv', 'closures.json', 'receipts.csv', 'receipts.json']);
		for (const f of m.files) {
			expect(crypto.createHash('sha256').update(files[f.name]).digest('hex')).toBe(f.sha256);
			expect(files[f.name].length).toBe(f.bytes);
		}
		expect(m).toMatchObject({ format: 'lieu-closure-archive', tool: { name: 'lieu', version: '9.9.9' }, place, closure: { kind: 'month', number: 1, periodStart: '2026-03-01', periodEnd: '2026-03-31', hash: month.hash } });
		expect(m.receipts).toEqual({ series: 'main', count: 4, first: { number: 1, previousHash: GENESIS_HASH, hash: receipts[0].hash }, last: { number: 4, hash: receipts[3].hash } });
	});

	it('the receipts inside re-verify as a chain, and the closures as hashed', () => {
		const rs = JSON.parse(strFromU8(files['receipts.json']));
		let prev = GENESIS_HASH;
		for (const r of rs) {
			expect(r.previousHash).toBe(prev);
			expect(receiptHash(r.previousHash, r)).toBe(r.hash);
			prev = r.hash;
		}
		expect(rs.length).toBe(4);
		const cs = JSON.parse(strFromU8(files['closures.json']));
		expect(cs.map((c: Closure) => [c.kind, c.number])).toEqual([['month', 1], ['day', 1]]);
		for (const c of cs) expect(closureHash(c.previousHash, c)).toBe(c.hash);
		// one altered byte and the recomputed hash no longer matches
		expect(receiptHash(rs[1].previousHash, { ...rs[1], totalCents: 1 })).not.toBe(rs[1].hash);
	});

	it('writes RFC 4180 CSV (header, CRLF, quoted commas, quotes and new lines)', () => {
		const csv = strFromU8(files['receipts.csv']);
		const lines = csv.split('\r\n');
		expect(lines[0]).toBe('number,issued_at,kind,corrects_id,till,operator_ref,total_cents,totals,payments,lines,previous_hash,hash,id');
		expect(lines[1].startsWith('1,2026-03-10T10:01:00.000Z,sale,,1,u1,1000,"[{""htCents"":909,')).toBe(true);
		expect(csv).toContain('Café, \\""serré\\""\\nlong');
		expect(csvField('a,b')).toBe('"a,b"');
		expect(csvField('say "hi"')).toBe('"say ""hi"""');
		expect(csvField(null)).toBe('');
		expect(strFromU8(files['closures.csv']).split('\r\n').length).toBe(4);
		expect(archiveFileName('cafe', month)).toBe('cafe-closure-month-1-2026-03.zip');
	});

	it('an empty period gives an archive with no receipts and null first/last', () => {
		const empty = buildClosureArchive({ place, closure: { ...day, receiptCount: 0, firstReceiptNumber: null }, parts: [], receipts: [], version: '1', createdAt: new Date() });
		expect(empty.manifest.receipts).toEqual({ series: 'main', count: 0, first: null, last: null });
		expect(JSON.parse(strFromU8(unzipSync(empty.zip)['receipts.json']))).toEqual([]);
	});
});
