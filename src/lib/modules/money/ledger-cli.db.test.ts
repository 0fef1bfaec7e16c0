// `lieu ledger verify --place SLUG` run as operators run it (a child process), on a PGlite folder or, in the
// db-postgres project, a PostgreSQL database: exit 0 when intact, 1 naming the first broken receipt.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKind, freshDatabase } from '../../../../tests/helpers/db';
import { openDatabase, type Database } from '../../server/db/client';
import { migrateDatabase } from '../../server/db/migrate';
import { createPlace, addMember } from '../places/commands.server';
import { createUserRecord } from '../people/users.server';
import { resolvePlace } from '../../server/place-context';
import { createProduct, recordSale } from './commands.server';
import { closeDay, closeMonth } from './closures.server';
import { wallClock } from '../places/time';
import { unzipSync, strFromU8 } from 'fflate';
import crypto from 'node:crypto';
import { receiptHash } from './rules';

const root = fileURLToPath(new URL('../../../..', import.meta.url));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lieu-ledger-test-'));
const dataDir = path.join(tmp, 'data');
let pgDatabase: Database | undefined;

/** Opens this file's database in the test process (PGlite: only while no child runs). */
async function withDb<T>(fn: (db: Database) => Promise<T>): Promise<T> {
	if (pgDatabase) return fn(pgDatabase);
	const db = await openDatabase({ dataDir, holder: 'test' });
	try {
		await migrateDatabase(db);
		return await fn(db);
	} finally {
		await db.close();
	}
}

function lieu(args: string[], lang = 'fr_FR.UTF-8'): Promise<{ code: number | null; stdout: string; stderr: string }> {
	const env: Record<string, string | undefined> = { ...process.env, LANG: lang, LC_ALL: '', LC_MESSAGES: '', LIEU_DEBUG: '' };
	if (pgDatabase) env.DATABASE_URL = pgDatabase.url;
	else {
		delete env.DATABASE_URL;
		env.LIEU_DATA_DIR = dataDir;
	}
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, ['bin/lieu.mjs', ...args], { cwd: root, env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d) => (stdout += d));
		child.stderr.on('data', (d) => (stderr += d));
		child.on('error', reject);
		child.on('close', (code) => resolve({ code, stdout, stderr }));
	});
}

beforeAll(async () => {
	if (dbKind === 'postgres') pgDatabase = await freshDatabase({ poolSize: 2 });
	await withDb(async (database) => {
		const db = database.db;
		const userId = await db.transaction(async (tx) => {
			const p = await createPlace(tx, { name: 'Café CLI', slug: 'cafe-cli' }, null);
			await createPlace(tx, { name: 'Café CLI 2', slug: 'cafe-cli-2' }, null);
			const u = await createUserRecord(tx, { email: 'staff@cli.test', name: 'Staff', password: 'une phrase assez longue 42' });
			await addMember(tx, p.id, u.id, 'admin', null);
			return u.id;
		});
		const { scope } = await resolvePlace(db, 'cafe-cli', { id: userId, isOperator: false });
		const pr = await createProduct(db, scope, { name: 'Café', activity: 'cafe', vatCategory: 'soft_drink', prices: { public: 150 } });
		// January: two sales, the day closed, then the month (after today's closure closes its last day).
		for (const at of ['2026-01-15T09:00:00Z', '2026-01-15T10:00:00Z']) await recordSale(db, scope, { lines: [{ productId: pr.id, quantity: 2 }], payments: [{ method: 'card' }] }, { now: new Date(at) });
		await closeDay(db, scope, { date: '2026-01-15' }, { now: new Date('2026-01-16T08:00:00Z') });
		for (let i = 0; i < 5; i++) await recordSale(db, scope, { lines: [{ productId: pr.id, quantity: 1 }], payments: [{ method: 'cash' }] });
		await recordSale(db, scope, { lines: [{ productId: pr.id, quantity: 1 }], payments: [{ method: 'cash' }], training: true });
		await closeDay(db, scope, { date: wallClock(new Date(), scope.timezone).date });
		await closeMonth(db, scope, { month: '2026-01' });
	});
}, 120_000);
afterAll(async () => {
	await pgDatabase?.close();
	fs.rmSync(tmp, { recursive: true, force: true });
});

describe('lieu ledger verify', () => {
	it('exit 0 with the count when the journal is intact (an empty journal too)', async () => {
		const r = await lieu(['ledger', 'verify', '--place', 'cafe-cli']);
		expect(r.stderr).toBe('');
		expect(r.code).toBe(0);
		expect(r.stdout).toContain('intact (8 tickets, 2 chaîne(s))');
		expect(r.stdout).toContain('Clôtures intactes (2 journalière(s), 1 mensuelle(s), 0 annuelle(s)).');
		const empty = await lieu(['ledger', 'verify', '--place', 'cafe-cli-2'], 'en_GB.UTF-8');
		expect(empty.code).toBe(0);
		expect(empty.stdout).toContain('intact (0 receipts');
	});

	it('exit 1 naming the first altered receipt; unknown place and missing option refused', async () => {
		await withDb((database) => database.exec(`BEGIN; SET LOCAL session_replication_role = replica; UPDATE receipt SET total_cents = 1 WHERE number = 4 AND training = false; COMMIT;`));
		const r = await lieu(['ledger', 'verify', '--place', 'cafe-cli'], 'en_GB.UTF-8');
		expect(r.code).toBe(1);
		expect(r.stderr).toContain('receipt no. 4 of series “main”: its content no longer matches its hash (3 receipts checked before)');
		const unknown = await lieu(['ledger', 'verify', '--place', 'nowhere']);
		expect(unknown.code).toBe(1);
		expect(unknown.stderr).toContain('nowhere');
		expect((await lieu(['ledger', 'verify'])).code).toBe(2);
	});

	it('exit 1 naming the first altered closure (month), with the altered receipt too', async () => {
		await withDb((database) => database.exec(`BEGIN; SET LOCAL session_replication_role = replica; UPDATE closure SET receipt_count = 3 WHERE kind = 'month' AND number = 1; COMMIT;`));
		const r = await lieu(['ledger', 'verify', '--place', 'cafe-cli']);
		expect(r.code).toBe(1);
		expect(r.stderr).toContain('ticket n° 4 de la série « main »');
		expect(r.stderr).toContain('Clôtures ALTÉRÉES : clôture mensuelle n° 1 : son contenu ne correspond plus à son empreinte (0 clôtures de ce type vérifiées avant).');
	});
});

describe('lieu ledger export', () => {
	it('writes the archive of a month (--period) and of a day (--closure): hashes and chain re-check', async () => {
		const out = path.join(tmp, 'jan.zip');
		const r = await lieu(['ledger', 'export', '--place', 'cafe-cli', '--period', '2026-01', '--out', out], 'en_GB.UTF-8');
		expect(r.stderr).toBe('');
		expect(r.code).toBe(0);
		expect(r.stdout).toContain('Archive written:');
		expect(r.stdout).toContain('(monthly closure no. 1, 2026-01-01 to 2026-01-31, 2 receipts');
		const files = unzipSync(fs.readFileSync(out));
		const manifest = JSON.parse(strFromU8(files['manifest.json']));
		expect(manifest.files.length).toBe(4);
		for (const f of manifest.files) expect(crypto.createHash('sha256').update(files[f.name]).digest('hex')).toBe(f.sha256);
		const receipts = JSON.parse(strFromU8(files['receipts.json']));
		expect(receipts.map((x: { number: number }) => x.number)).toEqual([1, 2]);
		for (const x of receipts) expect(receiptHash(x.previousHash, x)).toBe(x.hash);
		expect(manifest).toMatchObject({ place: { slug: 'cafe-cli', name: 'Café CLI' }, receipts: { count: 2, first: { number: 1 }, last: { number: 2 } } });

		const day = await lieu(['ledger', 'export', '--place', 'cafe-cli', '--closure', '2', '--out', path.join(tmp, 'day.zip')]);
		expect(day.code).toBe(0);
		expect(JSON.parse(strFromU8(unzipSync(fs.readFileSync(path.join(tmp, 'day.zip')))['receipts.json'])).length).toBe(5);
	});

	it('refuses a missing or ambiguous choice (exit 2) and an unknown closure (exit 1)', async () => {
		const out = path.join(tmp, 'x.zip');
		expect((await lieu(['ledger', 'export', '--place', 'cafe-cli', '--out', out])).code).toBe(2);
		expect((await lieu(['ledger', 'export', '--place', 'cafe-cli', '--closure', '1', '--period', '2026', '--out', out])).code).toBe(2);
		expect((await lieu(['ledger', 'export', '--place', 'cafe-cli', '--period', '2026-13', '--out', out])).code).toBe(2);
		expect((await lieu(['ledger', 'export', '--place', 'cafe-cli', '--closure', 'abc', '--out', out])).code).toBe(2);
		const none = await lieu(['ledger', 'export', '--place', 'cafe-cli', '--period', '2025', '--out', out]);
		expect(none.code).toBe(1);
		expect(none.stderr).toContain('n’a pas cette clôture (2025)');
		expect(fs.existsSync(out)).toBe(false);
	});
});
