// GET /api/v1/places/{slug}/reports/vat on both engines: totals per rate for admins (money.view), 400 on a bad
// period with translated field messages, 401/403/404 as usual, another place's sales never counted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../../tests/helpers/db';
import type { Database } from '../../server/db/client';
import { bootApp, setApp } from '../../server/app';
import type { ApiEvent } from '../../server/http/api';
import { createPlace, addMember } from '../places/commands.server';
import { createUserRecord } from '../people/users.server';
import { createApiToken } from '../people/tokens.server';
import { resolvePlace } from '../../server/place-context';
import { insertProduct, recordSale } from './commands.server';
import * as vatRoute from '../../../routes/api/v1/places/[slug]/reports/vat/+server';

type Handler = (event: ApiEvent) => Promise<Response>;
let database: Database;
const ids: Record<string, string> = {};
const tokens: Record<string, string> = {};

beforeAll(async () => {
	database = await freshDatabase();
	setApp(await bootApp(database));
	await database.db.transaction(async (tx) => {
		const a = await createPlace(tx, { name: 'Compta API', slug: 'compta-api' }, null);
		const b = await createPlace(tx, { name: 'Autre', slug: 'autre-api' }, null);
		for (const [key, roleKey, placeId] of [
			['admin', 'admin', a.id],
			['staff', 'staff', a.id],
			['other', 'admin', b.id]
		] as const) {
			const u = await createUserRecord(tx, { email: `${key}@vat.test`, name: key, password: 'une phrase assez longue 42' });
			ids[key] = u.id;
			await addMember(tx, placeId, u.id, roleKey, null);
		}
		ids.plat = (await insertProduct(tx, a.id, { name: 'Plat', activity: 'cafe', vatCategory: 'food', prices: { public: 1100 } })).id;
		ids.part = (await insertProduct(tx, a.id, { name: 'Part', activity: 'shares', vatCategory: 'share', prices: { public: 5000 } })).id;
		ids.platB = (await insertProduct(tx, b.id, { name: 'Plat B', activity: 'cafe', vatCategory: 'food', prices: { public: 700 } })).id;
	});
	for (const key of ['admin', 'staff', 'other']) tokens[key] = (await createApiToken(database.db, ids[key], { name: key })).token;
	const staff = await resolvePlace(database.db, 'compta-api', { id: ids.staff, isOperator: false });
	const other = await resolvePlace(database.db, 'autre-api', { id: ids.other, isOperator: false });
	const at = new Date('2026-04-10T10:00:00Z');
	await recordSale(database.db, staff.scope, { lines: [{ productId: ids.plat, quantity: 2, context: 'on_site' }, { productId: ids.part, quantity: 1, context: 'on_site' }], payments: [{ method: 'card' }] }, { now: at });
	await recordSale(database.db, other.scope, { lines: [{ productId: ids.platB, quantity: 3, context: 'on_site' }], payments: [{ method: 'cash' }] }, { now: at });
});
afterAll(async () => {
	await database?.close();
});

async function get(query: string, token?: string, slug = 'compta-api') {
	const headers = new Headers();
	if (token) headers.set('authorization', `Bearer ${token}`);
	const url = `http://lieu.test/api/v1/places/${slug}/reports/vat?${query}`;
	const res = await (vatRoute.GET as unknown as Handler)({ request: new Request(url, { headers }), url: new URL(url), params: { slug }, locals: { user: null, sessionId: null, locale: 'fr' } } as ApiEvent);
	return { status: res.status, data: JSON.parse(await res.text()) };
}

describe('GET /places/{slug}/reports/vat', () => {
	it('gives the totals per rate of the place’s sales, shares apart', async () => {
		const r = await get('from=2026-04-01&to=2026-04-30', tokens.admin);
		expect(r.status).toBe(200);
		expect(r.data).toEqual({
			period: { from: '2026-04-01', to: '2026-04-30' },
			rates: [{ rateBp: 1000, htCents: 2000, vatCents: 200, ttcCents: 2200 }],
			taxable: { htCents: 2000, vatCents: 200, ttcCents: 2200 },
			outsideScope: { htCents: 5000, vatCents: 0, ttcCents: 5000 }
		});
		expect((await get('from=2026-05-01&to=2026-05-31', tokens.admin)).data.taxable).toEqual({ htCents: 0, vatCents: 0, ttcCents: 0 });
	});
	it('400 on a bad period (translated), 401 without a token, 403 for staff or another place, 404 for an unknown place', async () => {
		const bad = await get('from=2026-04-30&to=2026-04-01', tokens.admin);
		expect(bad.status).toBe(400);
		expect(bad.data.error.fields.to).toBe('La fin de la période précède son début.');
		expect((await get('from=hier&to=2026-04-01', tokens.admin)).status).toBe(400);
		expect((await get('from=2026-04-01&to=2026-04-30')).status).toBe(401);
		expect((await get('from=2026-04-01&to=2026-04-30', tokens.staff)).status).toBe(403);
		expect((await get('from=2026-04-01&to=2026-04-30', tokens.other)).status).toBe(403);
		expect((await get('from=2026-04-01&to=2026-04-30', tokens.admin, 'nulle-part')).status).toBe(404);
		const otherOwn = await get('from=2026-04-01&to=2026-04-30', tokens.other, 'autre-api');
		expect(otherOwn.data.taxable.ttcCents).toBe(2100);
	});
});
