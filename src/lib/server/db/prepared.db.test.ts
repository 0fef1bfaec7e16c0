// Named prepared statements (prepared.ts): they give the same rows as the plain query, and on PostgreSQL the
// statement really is prepared on the connection under the hash of its text (once, however often it runs).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { dbKind, freshDatabase } from '../../../../tests/helpers/db';
import type { Database } from './client';
import { place } from './schema';
import { executePrepared, runPrepared, statementName } from './prepared';
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
			for (let i = 0; i < 3; i++) expect(await runPrepared(select())).toEqual(plain);
			const raw = sql`SELECT slug, ${'x'}::text AS x FROM place WHERE slug = ${'prepare'}`;
			for (let i = 0; i < 3; i++) expect((await executePrepared<{ slug: string; x: string }>(tx, raw)).rows).toEqual([{ slug: 'prepare', x: 'x' }]);
			if (dbKind !== 'postgres') return;
			const names = ((await tx.execute(sql`SELECT name FROM pg_prepared_statements ORDER BY name`)) as unknown as { rows: Array<{ name: string }> }).rows.map((r) => r.name);
			expect(names).toContain(statementName(select().toSQL().sql));
			expect(names).toContain(statementName('SELECT slug, $1::text AS x FROM place WHERE slug = $2'));
			expect(names.filter((n) => n.startsWith('lieu_'))).toHaveLength(2);
		});
	});
});
