import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { freshDatabase } from '../../../../tests/helpers/db';
import type { Database } from '../../server/db/client';
import { setupInstance, createPlace } from './commands.server';
import { getMembership, countPlaces } from './queries.server';
import { AppError } from '../../server/errors';

let database: Database;
beforeAll(async () => {
	database = await freshDatabase();
});
afterAll(async () => {
	await database?.close();
});

const setup = {
	name: 'La Fabrique',
	slug: 'la-fabrique',
	address: '1 rue de la Paix, Paris',
	adminName: 'Alice',
	adminEmail: 'Alice@Example.org',
	adminPassword: 'un-mot-de-passe-solide'
};

describe('first-run setup', () => {
	it('refuses bad input with field errors and writes nothing', async () => {
		const e = await setupInstance(database.db, { ...setup, slug: 'Bad Slug!', adminEmail: 'nope', timezone: 'Mars/Olympus' }).catch((x) => x);
		expect(e).toBeInstanceOf(AppError);
		expect(e.code).toBe('invalid_input');
		expect(Object.keys(e.fields)).toEqual(expect.arrayContaining(['slug', 'adminEmail', 'timezone']));
		expect(await countPlaces(database.db)).toBe(0);
	});

	it('refuses a common password', async () => {
		const e = await setupInstance(database.db, { ...setup, adminPassword: 'password123' }).catch((x) => x);
		expect(e.code).toBe('weak_password');
		expect(await countPlaces(database.db)).toBe(0);
	});

	it('creates the place, its roles and the first admin, in Europe/Paris by default', async () => {
		const { place, user } = await setupInstance(database.db, setup);
		expect(place.timezone).toBe('Europe/Paris');
		expect(user.email).toBe('alice@example.org');
		expect(user.isOperator).toBe(true);
		const m = await getMembership(database.db, place.id, user.id);
		expect(m?.roleKey).toBe('admin');
		expect(m?.permissions).toContain('cafe.refund');
		const roles = await database.query<{ key: string }>('SELECT key FROM role WHERE place_id = $1 ORDER BY key', [place.id]);
		expect(roles.map((r) => r.key)).toEqual(['admin', 'member', 'resident', 'staff']);
		const audit = await database.query<{ action: string }>('SELECT action FROM audit_log WHERE place_id = $1', [place.id]);
		expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['place.create', 'member.add']));
	});

	it('runs only once', async () => {
		const e = await setupInstance(database.db, { ...setup, slug: 'autre', adminEmail: 'bob@example.org' }).catch((x) => x);
		expect(e.code).toBe('setup_done');
	});

	it('refuses a taken slug', async () => {
		const e = await database.db.transaction((tx) => createPlace(tx, { name: 'Copie', slug: 'la-fabrique' }, null)).catch((x) => x);
		expect(e.code).toBe('slug_taken');
	});

	it('keeps the audit log append-only in the database itself', async () => {
		await expect(database.db.execute(sql`UPDATE audit_log SET action = 'x'`)).rejects.toThrow();
		await expect(database.db.execute(sql`DELETE FROM audit_log`)).rejects.toThrow();
	});
});
