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
		for (let i = 0; i < 5; i++) await recordSale(db, scope, { lines: [{ productId: pr.id, quantity: 1 }], payments: [{ method: 'cash' }] });
		await recordSale(db, scope, { lines: [{ productId: pr.id, quantity: 1 }], payments: [{ method: 'cash' }], training: true });
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
		expect(r.stdout).toContain('intact (6 tickets, 2 chaîne(s))');
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
});
