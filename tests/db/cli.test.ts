// The `lieu` command line, run as operators run it (`node bin/lieu.mjs …` in a child process), against a
// PGlite folder, and in the db-postgres project against a PostgreSQL database (DATABASE_URL).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKind, freshDatabase } from '../helpers/db';
import { openDatabase, type Database } from '../../src/lib/server/db/client';
import { lockDataDir } from '../../src/lib/server/db/lockfile';
import { verifyApiToken } from '../../src/lib/modules/people/tokens.server';
import { getPlaceBySlug, getMembership } from '../../src/lib/modules/places/queries.server';
import { createUserRecord, findUserByEmail } from '../../src/lib/modules/people/users.server';
import { createPlace } from '../../src/lib/modules/places/commands.server';
import { openOrder } from '../../src/lib/modules/money/checkout.server';
import { checkoutOrder } from '../../src/lib/modules/money/checkout-schema';
import { eq } from 'drizzle-orm';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lieu-cli-test-'));
const dataDir = path.join(tmp, 'data');
let pgDatabase: Database | undefined;

beforeAll(async () => {
	// PostgreSQL: a fresh database the child processes reach through DATABASE_URL; PGlite: a folder.
	if (dbKind === 'postgres') pgDatabase = await freshDatabase({ poolSize: 2 });
});
afterAll(async () => {
	await pgDatabase?.close();
	fs.rmSync(tmp, { recursive: true, force: true });
});

interface Run {
	code: number | null;
	stdout: string;
	stderr: string;
}

/** Runs `node bin/lieu.mjs …` against this file's database. */
function lieu(args: string[], opts: { lang?: string; env?: Record<string, string | undefined> } = {}): Promise<Run> {
	const env: Record<string, string | undefined> = { ...process.env, LANG: opts.lang ?? 'fr_FR.UTF-8', LC_ALL: '', LC_MESSAGES: '', LIEU_DEBUG: '' };
	if (pgDatabase) env.DATABASE_URL = pgDatabase.url;
	else {
		delete env.DATABASE_URL;
		env.LIEU_DATA_DIR = dataDir;
	}
	Object.assign(env, opts.env);
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

/** Opens this file's database in the test process (PGlite: only while no child runs). */
async function withDb<T>(fn: (db: Database) => Promise<T>): Promise<T> {
	if (pgDatabase) return fn(pgDatabase);
	const db = await openDatabase({ dataDir, holder: 'test' });
	try {
		return await fn(db);
	} finally {
		await db.close();
	}
}

const noStack = (r: Run) => expect(r.stderr).not.toMatch(/^\s+at /m);
const T = 120_000;

describe('lieu command line', () => {
	it('usage errors exit 2 with the usage text; --help exits 0', async () => {
		const none = await lieu([]);
		expect(none.code).toBe(2);
		expect(none.stderr).toContain('place create');

		const unknown = await lieu(['frobnicate']);
		expect(unknown.code).toBe(2);
		expect(unknown.stderr).toContain('frobnicate');

		const missing = await lieu(['place', 'create', '--slug', 'x']);
		expect(missing.code).toBe(2);
		expect(missing.stderr).toContain('--name');
		expect(missing.stderr).toContain('lieu place create --slug SLUG --name NAME');

		const bogus = await lieu(['backup', '--out', 'x', '--bogus']);
		expect(bogus.code).toBe(2);
		expect(bogus.stderr).toContain('--bogus');

		const help = await lieu(['--help'], { lang: 'en_GB.UTF-8' });
		expect(help.code).toBe(0);
		expect(help.stdout).toContain('Usage: lieu <command>');
		for (const c of ['place create', 'user create', 'member add', 'token create', 'demo', 'backup', 'restore']) expect(help.stdout).toContain(c);

		const sub = await lieu(['token', 'create', '--help']);
		expect(sub.code).toBe(0);
		expect(sub.stdout).toContain('--email EMAIL');
		noStack(sub);
	}, T);

	it('place create: creates the place, refuses bad input with translated field messages', async () => {
		const ok = await lieu(['place', 'create', '--slug', 'la-fabrique', '--name', 'La Fabrique', '--address', '1 rue de la Paix', '--timezone', 'Europe/Paris']);
		expect(ok.stderr).toBe('');
		expect(ok.code).toBe(0);
		const place = await withDb((d) => getPlaceBySlug(d.db, 'la-fabrique'));
		expect(place?.name).toBe('La Fabrique');
		expect(ok.stdout).toContain('la-fabrique');
		expect(ok.stdout).toContain(place!.id);

		const bad = await lieu(['place', 'create', '--slug', 'Bad Slug!', '--name', 'X', '--timezone', 'Mars/Olympus']);
		expect(bad.code).toBe(1);
		expect(bad.stderr).toContain('--timezone : Fuseau horaire inconnu.');
		expect(bad.stderr).toContain('--slug : Lettres minuscules');
		noStack(bad);

		const badEn = await lieu(['place', 'create', '--slug', 'ok-slug', '--name', 'Fine', '--timezone', 'Mars/Olympus'], { lang: 'en_US.UTF-8' });
		expect(badEn.code).toBe(1);
		expect(badEn.stderr).toContain('--timezone: Unknown time zone.');

		const taken = await lieu(['place', 'create', '--slug', 'la-fabrique', '--name', 'Again']);
		expect(taken.code).toBe(1);
		expect(taken.stderr).toContain('déjà pris');
	}, T);

	it('user create: refuses a weak password and an existing address; adds to a place with a role', async () => {
		const weak = await lieu(['user', 'create', '--email', 'alice@example.org', '--password', 'password123']);
		expect(weak.code).toBe(1);
		expect(weak.stderr).toContain('trop faible');
		noStack(weak);

		const ok = await lieu(['user', 'create', '--email', 'Alice@Example.org', '--password', 'un-long-mot-de-passe', '--name', 'Alice', '--place', 'la-fabrique', '--role', 'admin']);
		expect(ok.stderr).toBe('');
		expect(ok.code).toBe(0);
		expect(ok.stdout).toContain('alice@example.org');
		const role = await withDb(async (d) => {
			const u = await findUserByEmail(d.db, 'alice@example.org');
			const p = await getPlaceBySlug(d.db, 'la-fabrique');
			return (await getMembership(d.db, p!.id, u!.id))?.roleKey;
		});
		expect(role).toBe('admin');

		const again = await lieu(['user', 'create', '--email', 'alice@example.org', '--password', 'un-autre-long-mot-de-passe', '--place', 'la-fabrique']);
		expect(again.code).toBe(1);
		expect(again.stderr).toContain('lieu member add');

		const bob = await lieu(['user', 'create', '--email', 'bob@example.org', '--password', 'encore-un-long-mot-de-passe']);
		expect(bob.code).toBe(0);
		const add = await lieu(['member', 'add', '--email', 'bob@example.org', '--place', 'la-fabrique', '--role', 'staff']);
		expect(add.code).toBe(0);
		const noRole = await lieu(['member', 'add', '--email', 'bob@example.org', '--place', 'la-fabrique', '--role', 'pilote']);
		expect(noRole.code).toBe(1);
		expect(noRole.stderr).toContain('pilote');
	}, T);

	it('token create: the token alone on the last line, and it verifies', async () => {
		const r = await lieu(['token', 'create', '--email', 'alice@example.org', '--name', 'scripts']);
		expect(r.stderr).toBe('');
		expect(r.code).toBe(0);
		const lines = r.stdout.trimEnd().split('\n');
		expect(lines.length).toBeGreaterThan(1);
		const token = lines.at(-1)!;
		expect(token).toMatch(/^lieu_[A-Za-z0-9_-]{20,}$/);
		const who = await withDb((d) => verifyApiToken(d.db, token));
		expect(who?.email).toBe('alice@example.org');
		expect(await withDb((d) => verifyApiToken(d.db, token + 'x'))).toBeUndefined();

		const nobody = await lieu(['token', 'create', '--email', 'nobody@example.org']);
		expect(nobody.code).toBe(1);
		expect(nobody.stderr).toContain('nobody@example.org');
	}, T);

	it('demo: loads La Tréso once, prints the logins both times', async () => {
		const first = await lieu(['demo']);
		expect(first.stderr).toBe('');
		expect(first.code).toBe(0);
		expect(first.stdout).toContain('/la-treso');
		expect(first.stdout).toMatch(/admin@la-treso\.demo\s+admin\s+demo-treso-2026/);
		const second = await lieu(['demo']);
		expect(second.code).toBe(0);
		expect(second.stdout).toContain('existe déjà');
		expect(second.stdout).toMatch(/membre@la-treso\.demo\s+member\s+demo-treso-2026/);
		expect(await withDb(async (d) => (await getPlaceBySlug(d.db, 'la-treso'))?.isDemo)).toBe(true);
	}, T);

	it('backup and restore: a round trip gives back the same data', async () => {
		const file1 = path.join(tmp, 'one.json.gz');
		const b1 = await lieu(['backup', '--out', file1]);
		expect(b1.stderr).toBe('');
		expect(b1.code).toBe(0);
		const doc1 = JSON.parse(zlib.gunzipSync(fs.readFileSync(file1)).toString('utf8'));
		expect(doc1.format).toBe('lieu-backup');
		expect(doc1.tables.place.rows.length).toBe(2);

		expect((await lieu(['place', 'create', '--slug', 'en-trop', '--name', 'En trop'])).code).toBe(0);

		const refused = await lieu(['restore', '--in', file1]);
		expect(refused.code).toBe(2);
		expect(refused.stderr).toContain('--yes');
		expect(await withDb(async (d) => Boolean(await getPlaceBySlug(d.db, 'en-trop')))).toBe(true);

		const restored = await lieu(['restore', '--in', file1, '--yes']);
		expect(restored.stderr).toBe('');
		expect(restored.code).toBe(0);
		expect(await withDb(async (d) => Boolean(await getPlaceBySlug(d.db, 'en-trop')))).toBe(false);

		const file2 = path.join(tmp, 'two.json.gz');
		expect((await lieu(['backup', '--out', file2])).code).toBe(0);
		const doc2 = JSON.parse(zlib.gunzipSync(fs.readFileSync(file2)).toString('utf8'));
		expect(doc2.tables).toEqual(doc1.tables);
		expect(doc2.migrations).toEqual(doc1.migrations);

		const missing = await lieu(['restore', '--in', path.join(tmp, 'nope.json.gz'), '--yes']);
		expect(missing.code).toBe(1);
		expect(missing.stderr).toContain('nope.json.gz');
	}, T);

	it('jobs run: one pass expires an unpaid order past its deadline, in French and English', async () => {
		const orderId = await withDb(async (d) => {
			const p = await d.db.transaction((tx) => createPlace(tx, { name: 'Tiers Tâches', slug: 'tiers-taches' }, null));
			const u = await createUserRecord(d.db, { email: 'taches@example.org', name: 'Tâches', password: 'correct horse battery staple' });
			const o = await d.db.transaction((tx) =>
				openOrder(tx, {
					placeId: p.id,
					timezone: 'Europe/Paris',
					buyerId: u.id,
					createdBy: u.id,
					now: new Date(Date.now() - 60 * 60 * 1000),
					ttlMs: 30 * 60 * 1000,
					lines: [{ kind: 'wallet_credit', label: 'Crédit', activity: 'other', quantity: 1, unitPriceCents: 2000, vatCategory: 'voucher', details: { unit: 'cents', amount: 2000 } }]
				})
			);
			return o.id;
		});
		const r = await lieu(['jobs', 'run']);
		expect(r.stderr).toBe('');
		expect(r.stdout).toContain('orders.expire : 1 traité(s).');
		expect(r.stdout).toContain('mail.flush : 0 traité(s).');
		expect(r.code).toBe(0);
		expect(await withDb(async (d) => (await d.db.select({ s: checkoutOrder.status }).from(checkoutOrder).where(eq(checkoutOrder.id, orderId)))[0].s)).toBe('expired');
		const en = await lieu(['jobs', 'run'], { lang: 'en' });
		expect(en.stdout).toContain('orders.expire: 0 handled.');
		expect(en.code).toBe(0);
	}, T);

	it('refuses to open a PGlite folder held by the server, with a clear message', async () => {
		const held = path.join(tmp, 'held');
		const release = lockDataDir(held, 'server');
		try {
			const r = await lieu(['place', 'create', '--slug', 'x-lieu', '--name', 'X lieu'], { env: { DATABASE_URL: '', LIEU_DATA_DIR: held } });
			expect(r.code).toBe(1);
			expect(r.stderr).toContain('serveur Lieu utilise ce dossier');
			expect(r.stderr).toContain('DATABASE_URL');
			noStack(r);
			const en = await lieu(['demo'], { lang: 'en', env: { DATABASE_URL: '', LIEU_DATA_DIR: held } });
			expect(en.code).toBe(1);
			expect(en.stderr).toContain('server is running on this data folder');
			expect(en.stderr).toContain('run the CLI against DATABASE_URL');
		} finally {
			release();
		}
		expect(fs.existsSync(path.join(held, 'pglite'))).toBe(false);
	}, T);
});
