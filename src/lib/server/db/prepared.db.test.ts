// Named prepared statements (prepared.ts): they give the same rows as the plain query, and on PostgreSQL the
// statement really is prepared on the connection under the hash of its text (once, however often it runs).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { dbKind, freshDatabase } from '../../../../tests/helpers/db';
import type { Database } from './client';
import { mailOutbox, place } from './schema';
import { executeCached, ph, placeholdersOf, runCached, statementName } from './prepared';
import { createPlace } from '../../modules/places/commands.server';

let database: Database;
beforeAll(async () => {
	database = await freshDatabase();
	await database.db.transaction((tx) => createPlace(tx, { name: 'Préparé', slug: 'prepare' }, null));
});
afterAll(async () => {
	await database?.close();
});

describe('prepared statements', () => {
	it(`give the rows of the plain query (${dbKind}); on PostgreSQL they are prepared once per connection under their hash`, async () => {
		await database.db.transaction(async (tx) => {
			const select = () => tx.select({ slug: place.slug, tz: place.timezone }).from(place).where(and(eq(place.slug, 'prepare'), eq(place.name, 'Préparé')));
			const plain = await select();
			expect(plain).toEqual([{ slug: 'prepare', tz: 'Europe/Paris' }]);
			const cached = () => runCached(tx, 'test:select', (d) => d.select({ slug: place.slug, tz: place.timezone }).from(place).where(and(eq(place.slug, ph('slug')), eq(place.name, ph('name')))), { slug: 'prepare', name: 'Préparé' });
			for (let i = 0; i < 3; i++) expect(await cached()).toEqual(plain);
			const raw = () => sql`SELECT slug, ${ph('x')}::text AS x FROM place WHERE slug = ${ph('slug')}`;
			for (let i = 0; i < 3; i++) expect((await executeCached<{ slug: string; x: string }>(tx, 'test:raw', raw, { x: 'x', slug: 'prepare' })).rows).toEqual([{ slug: 'prepare', x: 'x' }]);
			if (dbKind !== 'postgres') return;
			const names = ((await tx.execute(sql`SELECT name FROM pg_prepared_statements ORDER BY name`)) as unknown as { rows: Array<{ name: string }> }).rows.map((r) => r.name);
			expect(names).toContain(statementName(select().toSQL().sql));
			expect(names).toContain(statementName('SELECT slug, $1::text AS x FROM place WHERE slug = $2'));
			expect(names.filter((n) => n.startsWith('lieu_'))).toHaveLength(2);
		});
	});

	it(`built once, bound each time: each call's values, on the transaction it is given (${dbKind})`, async () => {
		const db = database.db;
		let builds = 0;
		const bySlug = (slug: string) =>
			runCached(db, 'test:placeBySlug', (d) => (builds++, d.select({ name: place.name }).from(place).where(eq(place.slug, ph('slug')))), { slug });
		expect(await bySlug('prepare')).toEqual([{ name: 'Préparé' }]);
		expect(await bySlug('nowhere')).toEqual([]);
		expect(await bySlug('prepare')).toEqual([{ name: 'Préparé' }]);
		expect(builds).toBe(1);

		let rawBuilds = 0;
		const echo = (x: string) => executeCached<{ slug: string; x: string }>(db, 'test:echo', () => (rawBuilds++, sql`SELECT slug, ${ph('x')}::text AS x FROM place WHERE slug = ${ph('slug')}`), { x, slug: 'prepare' });
		expect((await echo('un')).rows).toEqual([{ slug: 'prepare', x: 'un' }]);
		expect((await echo('deux')).rows).toEqual([{ slug: 'prepare', x: 'deux' }]);
		expect(rawBuilds).toBe(1);

		// An insert built from an object: values go through the columns' encoders (json, timestamptz); a null stays NULL.
		const claimedAt = new Date('2026-03-29T01:30:00Z');
		const insert = (to: string, d: typeof db) => {
			const p = placeholdersOf('m_', { to, subject: 'Objet', text: 'Texte', html: null, template: 'test', attachments: [{ filename: 'a.ics', contentType: 'text/calendar', contentBase64: 'QQ==' }], claimedAt });
			return runCached(d, 'test:outbox|' + p.shape, (d) => d.insert(mailOutbox).values(p.placeholders as typeof mailOutbox.$inferInsert).returning({ id: mailOutbox.id }), p.values);
		};
		const [{ id }] = await insert('garde@example.org', db);
		// Built on the database, run inside a transaction that rolls back: it runs on the transaction's connection: nothing stays.
		await db
			.transaction(async (tx) => {
				await insert('annule@example.org', tx);
				throw new Error('rollback');
			})
			.catch((e: Error) => expect(e.message).toBe('rollback'));
		const rows = ((await db.execute(sql`SELECT to_address, html_body IS NULL AS no_html, attachments, claimed_at = ${claimedAt.toISOString()}::timestamptz AS same_instant FROM mail_outbox WHERE template = 'test'`)) as unknown as { rows: Array<Record<string, unknown>> }).rows;
		expect(rows).toHaveLength(1);
		expect(rows[0].to_address).toBe('garde@example.org');
		expect(rows[0].no_html).toBe(true);
		expect(rows[0].same_instant).toBe(true);
		const attachments = typeof rows[0].attachments === 'string' ? JSON.parse(rows[0].attachments) : rows[0].attachments;
		expect(attachments).toEqual([{ filename: 'a.ics', contentType: 'text/calendar', contentBase64: 'QQ==' }]);
		expect(typeof id).toBe('number');
	});
});
