// Journey: Marc, a member, is on the laser cutter right now. From his phone without JavaScript he checks in, then
// checks out declaring two sheets of plywood (a priced product: 4 € each at the member's price) and some cardboard
// offcuts in words (not billed). The page tells him what he owes and links to the order, which has no deadline and
// no cancel button (a debt, ADR 014). Camille (staff) sees it among pending orders and records it paid in cash;
// Marc's page then says the materials are paid. Every page passes axe with JavaScript on.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { expectAccessible, launchBrowser, signedInPhone, startServer, type LieuServer } from './harness';
import { openDatabase } from '../../src/lib/server/db/client';
import { migrateDatabase } from '../../src/lib/server/db/migrate';
import { booking, bookingSlot, resource } from '../../src/lib/server/db/schema';
import { createPlace, addMember } from '../../src/lib/modules/places/commands.server';
import { createUserRecord } from '../../src/lib/modules/people/users.server';
import { insertProduct } from '../../src/lib/modules/money/commands.server';
import { newId } from '../../src/lib/server/ids';

const PASSWORD = 'une phrase assez longue 42';
let server: LieuServer;
let browser: Browser;
let dataDir: string;

/** A place with a member whose laser booking runs now (started 10 minutes ago, for an hour), and a staff member. */
async function seed(dir: string) {
	const database = await openDatabase({ dataDir: dir, holder: 'materials journey seed' });
	try {
		await migrateDatabase(database);
		await database.db.transaction(async (tx) => {
			const p = await createPlace(tx, { name: 'Fab Matériaux', slug: 'fab-materiaux', timezone: 'Europe/Paris' }, null);
			const member = await createUserRecord(tx, { email: 'marc@fab.test', name: 'Marc Membre', password: PASSWORD, emailVerified: true });
			const staff = await createUserRecord(tx, { email: 'camille@fab.test', name: 'Camille Roux', password: PASSWORD, emailVerified: true });
			await addMember(tx, p.id, member.id, 'member', null);
			await addMember(tx, p.id, staff.id, 'staff', null);
			await insertProduct(tx, p.id, { name: 'Contreplaqué 3 mm', activity: 'other', vatCategory: 'service', prices: { public: 500, member: 400 } });
			const laser = newId();
			await tx.insert(resource).values({ id: laser, placeId: p.id, kind: 'machine', name: 'Découpeuse laser', slug: 'decoupeuse-laser', bookable: true });
			const start = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000);
			const end = new Date(start.getTime() + 3_600_000);
			const id = newId();
			await tx.insert(booking).values({ id, placeId: p.id, resourceId: laser, userId: member.id, kind: 'booking', status: 'confirmed', startsAt: start, endsAt: end });
			await tx.insert(bookingSlot).values({ bookingId: id, placeId: p.id, resourceId: laser, startsAt: start, endsAt: end });
		});
	} finally {
		await database.close();
	}
}

beforeAll(async () => {
	dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lieu-e2e-mat-'));
	await seed(dataDir);
	[server, browser] = await Promise.all([startServer({ LIEU_DATA_DIR: dataDir }), launchBrowser()]);
});
afterAll(async () => {
	await browser?.close();
	await server?.stop();
	if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

const text = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();

describe('materials used on a machine are billed at check-out', () => {
	it('tells the member what they owe, lets staff take the payment, then shows it paid', async () => {
		const { ctx, page } = await signedInPhone(browser, server.url, 'marc@fab.test', { password: PASSWORD });
		await page.goto(server.url + '/reservations/presence');
		await page.getByRole('button', { name: 'Pointer l’arrivée' }).click();
		await page.waitForLoadState();
		expect(text(await page.getByRole('status').first().textContent())).toBe('Arrivée enregistrée.');

		// a billed quantity the checkout cannot take: refused in French, what was typed is kept, nothing billed
		await page.getByLabel('Matériau 1 (de la carte)').selectOption({ label: 'Contreplaqué 3 mm' });
		await page.getByLabel('Quantité').fill('1000');
		await page.getByRole('button', { name: 'Pointer le départ' }).click();
		await page.waitForLoadState();
		expect(text(await page.getByRole('alert').first().textContent())).toContain('Au plus 999 pour un matériau payant.');
		expect(await page.getByLabel('Quantité').inputValue()).toBe('1000');
		expect(await page.getByTestId('materials-due').count()).toBe(0);

		await page.getByLabel('Quantité').fill('2');
		await page.getByLabel('ou en clair').fill('2 plaques, chutes de carton en plus');
		await page.getByRole('button', { name: 'Pointer le départ' }).click();
		await page.waitForLoadState();
		expect(text(await page.getByRole('status').first().textContent())).toBe('Départ enregistré. Matériaux à payer : 8,00 €.');
		expect(text(await page.getByTestId('materials-due').textContent())).toBe('Matériaux à payer : 8,00 €');
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

		await page.getByTestId('materials-pay').click();
		await page.waitForURL(/\/commande\/[^/?]+$/);
		const orderUrl = page.url();
		expect(text(await page.getByTestId('order-total').textContent())).toBe('8,00 €');
		expect(text(await page.textContent('main'))).toContain('2 × Contreplaqué 3 mm');
		expect(text(await page.textContent('main'))).toContain('À régler sur place, à l’accueil.');
		expect(text(await page.textContent('main'))).not.toContain('À régler avant le');
		expect(await page.getByRole('button', { name: 'Annuler la commande' }).count()).toBe(0);
		await ctx.close();

		const staff = await signedInPhone(browser, server.url, 'camille@fab.test', { password: PASSWORD });
		await staff.page.goto(server.url + '/admin/commandes');
		const card = staff.page.locator('li.card', { hasText: 'Contreplaqué 3 mm' });
		expect(text(await card.textContent())).toContain('Marc Membre');
		await card.getByLabel('Moyen de paiement').selectOption({ label: 'Espèces' });
		await card.getByRole('button', { name: 'Encaisser 8,00 €' }).click();
		await staff.page.waitForLoadState();
		expect(text(await staff.page.getByRole('status').first().textContent())).toContain('Paiement enregistré.');
		await staff.ctx.close();

		const again = await signedInPhone(browser, server.url, 'marc@fab.test', { password: PASSWORD, javaScriptEnabled: true });
		await again.page.goto(server.url + '/reservations/presence');
		expect(text(await again.page.textContent('main'))).toContain('Matériaux payés : 8,00 €');
		expect(await again.page.getByTestId('materials-due').count()).toBe(0);
		await expectAccessible(again.page);
		await again.page.goto(orderUrl);
		expect(text(await again.page.getByTestId('order-status').textContent())).toBe('Payée');
		await expectAccessible(again.page);
		await again.ctx.close();
	});
});
