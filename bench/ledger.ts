// The till journal's benchmark (`npm run bench:ledger`, also run by `npm run bench`): figures taken in ONE run.
//
//   1. Receipts per second through the chain (recordSale: catalogue lookup, VAT, lock of the chain's sequence
//      row, SHA-256 of previous hash + canonical JSON, insert, sequence update, audit entry — one transaction
//      per sale) as a RATIO of plain single-row INSERTs of the same receipt rows into the same table (same
//      indexes, same append-only triggers, no lock, no hash) — sequential, and with CONCURRENCY writers.
//   2. `ledger verify` time (verifyLedger, keyset pages of 5,000) for growing journals up to RECEIPTS
//      receipts of one place (default 1,000,000 on PostgreSQL, 200,000 on PGlite), to show it scales linearly
//      (µs per receipt stays flat). The big journal is written with multi-row INSERTs of receipts chained
//      and hashed in Node exactly like appendReceipt does, then verified for real.
//
// Database: BENCH_DATABASE_URL (or TEST_DATABASE_URL) = a PostgreSQL server where a throwaway database is
// created and dropped; otherwise PGlite in a temp folder. Options: --sales=2000 --concurrency=8
// --receipts=1000000 --steps=100000,300000,1000000 --engine=pglite|postgres --no-record.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execSync } from 'node:child_process';
import { openFresh as openFreshDb } from './fresh-db';
import type { Database } from '../src/lib/server/db/client';
import { migrateDatabase } from '../src/lib/server/db/migrate';
import { createPlace, addMember } from '../src/lib/modules/places/commands.server';
import { createUserRecord } from '../src/lib/modules/people/users.server';
import { resolvePlace } from '../src/lib/server/place-context';
import { createProduct, recordSale } from '../src/lib/modules/money/commands.server';
import { verifyLedger } from '../src/lib/modules/money/ledger.server';
import { buildLine, GENESIS_HASH, receiptHash, totalsPerRate } from '../src/lib/modules/money/rules';

const args = Object.fromEntries(
	process.argv.slice(2).map((a) => {
		const [k, v] = a.replace(/^--/, '').split('=');
		return [k, v ?? 'true'];
	})
);
const pgUrl = args.engine === 'pglite' ? undefined : (process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL);
const engine = pgUrl ? 'postgres' : 'pglite';
const SALES = Number(args.sales ?? 2000);
const CONCURRENCY = Number(args.concurrency ?? 8);
const RECEIPTS = Number(args.receipts ?? (engine === 'postgres' ? 1_000_000 : 200_000));
const STEPS = (args.steps ? String(args.steps).split(',').map(Number) : [RECEIPTS / 10, (RECEIPTS * 3) / 10, RECEIPTS]).filter((n) => n > 0 && n <= RECEIPTS);
const RECORD = args['no-record'] !== 'true';
const root = path.resolve(import.meta.dirname, '..');

const log = (s: string) => process.stdout.write(s + '\n');
const secs = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;

const openFresh = () => openFreshDb(pgUrl, { poolSize: CONCURRENCY + 2, label: 'ledger' });

async function setUp(database: Database, slug: string) {
	const db = database.db;
	const ids = await db.transaction(async (tx) => {
		const p = await createPlace(tx, { name: `Bench ${slug}`, slug }, null);
		const u = await createUserRecord(tx, { email: `caisse@${slug}.bench`, name: 'Caisse', password: 'une phrase assez longue 42' });
		await addMember(tx, p.id, u.id, 'admin', null);
		return { placeId: p.id, userId: u.id };
	});
	const { scope } = await resolvePlace(db, slug, { id: ids.userId, isOperator: false });
	const plat = await createProduct(db, scope, { name: 'Plat du jour', activity: 'cafe', vatCategory: 'food', prices: { public: 1250 } });
	const biere = await createProduct(db, scope, { name: 'Bière pression', activity: 'cafe', vatCategory: 'alcohol', prices: { public: 450 } });
	return { ...ids, scope, plat: plat.id, biere: biere.id };
}

const saleInput = (ctx: { plat: string; biere: string }) => ({
	lines: [
		{ productId: ctx.plat, quantity: 2, context: 'on_site' as const },
		{ productId: ctx.biere, quantity: 1, context: 'on_site' as const }
	],
	payments: [{ method: 'cash' as const }]
});

/** Runs `n` jobs with `c` at a time; returns seconds. */
async function pool(n: number, c: number, job: (i: number) => Promise<unknown>): Promise<number> {
	let next = 0;
	const t0 = process.hrtime.bigint();
	await Promise.all(
		Array.from({ length: c }, async () => {
			for (let i = next++; i < n; i = next++) await job(i);
		})
	);
	return secs(t0);
}

/** Chained receipt rows as appendReceipt writes them, numbers from+1..from+count, continuing `previous`. */
function chainedRows(placeId: string, series: string, from: number, count: number, previous: string, operatorRef: string) {
	const lines = [
		buildLine({ productId: 'p1', label: 'Plat du jour', activity: 'cafe', quantity: 2, unitPriceCents: 1250, context: 'on_site', rate: { rateBp: 1000, outsideScope: false } }),
		buildLine({ productId: 'p2', label: 'Bière pression', activity: 'cafe', quantity: 1, unitPriceCents: 450, context: 'on_site', rate: { rateBp: 2000, outsideScope: false } })
	];
	const totals = totalsPerRate(lines);
	const t0 = Date.UTC(2026, 0, 1);
	const rows = [];
	let prev = previous;
	for (let k = 1; k <= count; k++) {
		const number = from + k;
		const row = {
			id: `${series}-${number}`,
			placeId,
			series,
			number,
			training: false,
			kind: 'sale' as const,
			correctsId: null,
			issuedAt: new Date(t0 + number * 1000),
			till: '1',
			operatorRef,
			lines,
			totals,
			payments: [{ method: 'cash' as const, amountCents: 2950 }],
			totalCents: 2950,
			previousHash: prev
		};
		const hash = receiptHash(prev, row);
		rows.push({ ...row, hash });
		prev = hash;
	}
	return { rows, last: prev };
}

async function insertRows(database: Database, rows: ReturnType<typeof chainedRows>['rows'], perStatement: number) {
	for (let i = 0; i < rows.length; i += perStatement) {
		const chunk = rows.slice(i, i + perStatement);
		const params: unknown[] = [];
		const values = chunk.map((r) => {
			const b = params.length;
			params.push(r.id, r.placeId, r.series, r.number, r.training, r.kind, r.issuedAt.toISOString(), r.till, r.operatorRef, JSON.stringify(r.lines), JSON.stringify(r.totals), JSON.stringify(r.payments), r.totalCents, r.previousHash, r.hash);
			return `(${Array.from({ length: 15 }, (_, j) => `$${b + j + 1}`).join(',')})`;
		});
		await database.query(
			`INSERT INTO receipt (id, place_id, series, number, training, kind, issued_at, till, operator_ref, lines, totals, payments, total_cents, previous_hash, hash) VALUES ${values.join(',')}`,
			params
		);
	}
}

async function main() {
	const load0 = os.loadavg()[0];
	log(`Lieu ledger benchmark — ${engine}${engine === 'postgres' ? '' : ' (temp folder)'}, node ${process.version}, ${os.cpus().length} CPUs, load ${load0.toFixed(1)}`);
	const { database, drop } = await openFresh();
	const results: string[] = [];
	try {
		await migrateDatabase(database);

		// ---- 1. chain vs plain inserts -------------------------------------------------------------
		const ctx = await setUp(database, 'bench-chain');
		for (let i = 0; i < 50; i++) await recordSale(database.db, ctx.scope, saleInput(ctx)); // warm-up
		const chainSeq = await pool(SALES, 1, () => recordSale(database.db, ctx.scope, saleInput(ctx)));
		// why: plain rows go to another place of the same table, so the chain verified below is only recordSale's.
		const other = await setUp(database, 'bench-plain');
		const plain = chainedRows(other.placeId, 'plain-seq', 0, SALES, GENESIS_HASH, ctx.userId).rows;
		const plainSeq = await pool(SALES, 1, (i) => insertRows(database, [plain[i]], 1));
		const rows: Array<[string, number, number]> = [['sequential (1 writer)', SALES / chainSeq, SALES / plainSeq]];
		if (engine === 'postgres' && CONCURRENCY > 1) {
			const chainPar = await pool(SALES, CONCURRENCY, () => recordSale(database.db, ctx.scope, saleInput(ctx)));
			const plainP = chainedRows(other.placeId, 'plain-par', 0, SALES, GENESIS_HASH, ctx.userId).rows;
			const plainPar = await pool(SALES, CONCURRENCY, (i) => insertRows(database, [plainP[i]], 1));
			rows.push([`${CONCURRENCY} concurrent writers`, SALES / chainPar, SALES / plainPar]);
		}
		const report = await verifyLedger(database.db, ctx.placeId);
		if (!report.ok) throw new Error(`chain broken after the benchmark: ${JSON.stringify(report.firstBroken)}`);
		results.push(
			`### Receipts through the chain vs plain inserts (${SALES.toLocaleString('en')} sales of 3 lines each)`,
			'',
			'| Writers | Chained sales/s (recordSale) | Plain INSERTs/s (same table) | **Ratio** (chained ÷ plain) |',
			'|---|---:|---:|---:|',
			...rows.map(([label, c, p]) => `| ${label} | ${c.toFixed(0)} | ${p.toFixed(0)} | **${(c / p).toFixed(2)}** |`),
			'',
			`Chain verified after the run: ${report.checked.toLocaleString('en')} receipts in ${report.chains} chains, intact.`,
			''
		);
		for (const [label, c, p] of rows) log(`  ${label}: chained ${c.toFixed(0)}/s, plain ${p.toFixed(0)}/s, ratio ${(c / p).toFixed(2)}`);

		// ---- 2. verify time as the journal grows ---------------------------------------------------
		const big = await setUp(database, 'bench-verify');
		await database.query(`INSERT INTO journal_sequence (place_id, series, training, last_number, last_hash) VALUES ($1, 'main', false, 0, $2)`, [big.placeId, GENESIS_HASH]);
		let have = 0;
		let last = GENESIS_HASH;
		const verifyRows: string[] = [];
		for (const target of STEPS) {
			const t0 = process.hrtime.bigint();
			while (have < target) {
				const n = Math.min(20_000, target - have);
				const chunk = chainedRows(big.placeId, 'main', have, n, last, big.userId);
				await insertRows(database, chunk.rows, 500);
				have += n;
				last = chunk.last;
			}
			await database.query(`UPDATE journal_sequence SET last_number = $2, last_hash = $3 WHERE place_id = $1 AND series = 'main' AND training = false`, [big.placeId, have, last]);
			const written = secs(t0);
			if (engine === 'postgres') await database.exec('ANALYZE receipt');
			const t1 = process.hrtime.bigint();
			const r = await verifyLedger(database.db, big.placeId);
			const took = secs(t1);
			if (!r.ok || r.checked !== have) throw new Error(`verify failed at ${have}: ${JSON.stringify(r)}`);
			verifyRows.push(`| ${have.toLocaleString('en')} | ${took.toFixed(1)} | ${((took / have) * 1e6).toFixed(1)} | ${(have / took).toFixed(0)} | ${written.toFixed(0)} |`);
			log(`  verify ${have.toLocaleString('en')} receipts: ${took.toFixed(1)} s (${((took / have) * 1e6).toFixed(1)} µs/receipt)`);
		}
		results.push(
			'### `ledger verify` time as the journal grows (one place, one chain)',
			'',
			'| Receipts | Verify s | µs per receipt | Receipts/s | (writing that step, s) |',
			'|---:|---:|---:|---:|---:|',
			...verifyRows,
			''
		);
	} finally {
		await drop();
	}
	const load1 = os.loadavg()[0];
	let commit = 'unknown';
	try {
		commit = execSync('git rev-parse --short HEAD', { cwd: root }).toString().trim();
		if (execSync('git status --porcelain', { cwd: root }).toString().trim()) commit += ' + uncommitted changes';
	} catch {
		/* not a git checkout */
	}
	const section = [
		`## ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC — ledger — commit ${commit}`,
		'',
		`- Machine: ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim()}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
		`- Database: ${engine === 'postgres' ? 'PostgreSQL (throwaway database on the given server)' : 'PGlite (temp folder)'}; load average before / after: ${load0.toFixed(1)} / ${load1.toFixed(1)}`,
		`- Command: \`npm run bench:ledger -- ${process.argv.slice(2).join(' ')}\``.replace(' --  ', ' ').replace(/ -- `$/, '`'),
		'',
		...results
	].join('\n');
	log('\n' + section);
	if (RECORD) fs.appendFileSync(path.join(root, 'bench/RESULTS.md'), '\n' + section + '\n');
}

await main();
