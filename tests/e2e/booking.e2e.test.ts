// Journey: on a phone, Léa (a qualified member of the La Tréso demo) opens the laser cutter's page, sees its
// week, picks Tuesday 10:00 for 1 h, sees the price and books: the booking page says it is held and links to
// the order to pay. Hamid (qualified, JavaScript OFF) then tries the same slot and is told it was just taken,
// with his choice kept; Sophie (not qualified) is told to take a training. Léa cancels from "Mes réservations"
// and Hamid gets the slot. Then the waiting list: Hamid joins it for a slot Léa took; Léa cancels; the offer e-mail
// (read in the admin's outbox) links Hamid to the slot, chosen for him, and he books it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { expectAccessible, expectAccessibleNoJs as expectAccessibleNoJsIn, launchBrowser, phoneContext, signIn as signInAt, startServer, type LieuServer } from './harness';
import { addDays, nextWeekday } from '../../src/lib/modules/places/time';

let server: LieuServer;
let browser: Browser;
const tuesday = nextWeekday(new Date(), 'Europe/Paris', 2, 1);
const monday = addDays(tuesday, -1);
const slotUrl = () => `${server.url}/machines/decoupeuse-laser?semaine=${monday}&jour=${tuesday}&debut=10:00&duree=60`;

beforeAll(async () => {
	[server, browser] = await Promise.all([startServer(), launchBrowser()]);
	const res = await fetch(server.url + '/');
	expect(res.status).toBe(200);
});
afterAll(async () => {
	await browser?.close();
	await server?.stop();
});

const signIn = (page: Page, email: string) => signInAt(page, server.url, email);

/** axe on the page a no-JavaScript visitor is on (harness: a JavaScript-enabled twin with the same cookies). */
const expectAccessibleNoJs = (page: Page) => expectAccessibleNoJsIn(browser, page);

describe('booking the laser cutter on a phone', () => {
	it('the demo is loaded; the machine page is public and shows prices, materials and the week', async () => {
		const ctx = await phoneContext(browser);
		const page = await ctx.newPage();
		await page.goto(server.url + '/');
		await page.getByRole('button', { name: 'Commencer avec le lieu de démonstration' }).click();
		await page.waitForURL(server.url + '/');
		await ctx.close();
		const anon = await phoneContext(browser);
		const p = await anon.newPage();
		await p.goto(server.url + '/machines');
		await p.getByRole('link', { name: 'Découpeuse laser' }).click();
		await p.waitForURL(/\/machines\/decoupeuse-laser/);
		expect((await p.getByRole('heading', { level: 1 }).textContent())?.trim()).toBe('Découpeuse laser');
		const main = (await p.textContent('main')) ?? '';
		expect(main).toContain('Membres : 20,00');
		expect(main).toContain('Jamais de PVC');
		expect(main).toContain('Connectez-vous pour réserver');
		expect(await p.locator('table.week tbody tr').count()).toBeGreaterThan(10);
		await expectAccessible(p);
		// the page fits the phone: no horizontal scroll
		expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
		await anon.close();
	});

	it('Léa picks Tuesday 10:00 for 1 h, sees the price and books it', async () => {
		const ctx = await phoneContext(browser);
		const page = await ctx.newPage();
		await signIn(page, 'membre@la-treso.demo');
		await page.goto(`${server.url}/machines/decoupeuse-laser?semaine=${monday}`);
		// a free cell prefills the form and shows the price
		await page.getByRole('link', { name: new RegExp(`^Libre, .* 10:00$`) }).first().click();
		await page.getByTestId('estimate').waitFor();
		await page.goto(slotUrl());
		expect(await page.getByTestId('estimate').textContent()).toContain('20,00');
		await expectAccessible(page);
		await page.getByRole('button', { name: 'Réserver', exact: true }).click();
		await page.waitForURL(/\/reservations\/[^/?]+\?nouveau=1/);
		expect(await page.getByTestId('booking-created').textContent()).toContain('payez-le');
		expect((await page.getByTestId('booking-status').textContent())?.trim()).toBe('À payer');
		expect(await page.getByTestId('pay-link').getAttribute('href')).toMatch(/^\/commande\//);
		await expectAccessible(page);
		await ctx.close();
	});

	it('Hamid (no JavaScript) cannot take the same slot; Sophie is told to get the qualification', async () => {
		const ctx = await phoneContext(browser, { javaScriptEnabled: false });
		const page = await ctx.newPage();
		await signIn(page, 'hamid@la-treso.demo');
		await page.goto(slotUrl());
		expect(await page.getByTestId('estimate').textContent()).toContain('vient d’être pris');
		await page.getByRole('button', { name: 'Réserver', exact: true }).click();
		await page.waitForSelector('.alert.error');
		expect(await page.textContent('.alert.error')).toContain('Ce créneau vient d’être pris');
		expect(await page.locator('#f-debut').inputValue()).toBe('10:00');
		expect(await page.locator('#f-jour').inputValue()).toBe(tuesday);
		await expectAccessibleNoJs(page);
		await ctx.close();

		const s = await phoneContext(browser);
		const sp = await s.newPage();
		await signIn(sp, 'sophie@la-treso.demo');
		await sp.goto(slotUrl().replace('10:00', '14:00'));
		await sp.getByRole('button', { name: 'Réserver', exact: true }).click();
		await sp.waitForSelector('.alert.error');
		expect(await sp.textContent('.alert.error')).toContain('Il vous faut l’habilitation « Découpeuse laser » : inscrivez-vous à une formation');
		await s.close();
	});

	it('Léa cancels from her bookings; then Hamid gets the slot', async () => {
		const ctx = await phoneContext(browser);
		const page = await ctx.newPage();
		await signIn(page, 'membre@la-treso.demo');
		await page.goto(server.url + '/reservations');
		expect(await page.getByTestId('booking').count()).toBe(1);
		await expectAccessible(page);
		await page.getByRole('button', { name: /^Annuler/ }).click();
		await page.waitForSelector('.alert.success');
		expect(await page.getByTestId('booking').count()).toBe(0);
		await ctx.close();

		const h = await phoneContext(browser, { javaScriptEnabled: false });
		const hp = await h.newPage();
		await signIn(hp, 'hamid@la-treso.demo');
		await hp.goto(slotUrl());
		await hp.getByRole('button', { name: 'Réserver', exact: true }).click();
		await hp.waitForURL(/\/reservations\//);
		expect((await hp.getByTestId('booking-status').textContent())?.trim()).toBe('À payer');
		await h.close();
	});

	it('a taken slot: Hamid joins the waiting list; Léa cancels; Hamid is offered it by e-mail and books it', async () => {
		const at16 = () => slotUrl().replace('10:00', '16:00');
		const l = await phoneContext(browser);
		const lp = await l.newPage();
		await signIn(lp, 'membre@la-treso.demo');
		await lp.goto(at16());
		await lp.getByRole('button', { name: 'Réserver', exact: true }).click();
		await lp.waitForURL(/\/reservations\//);

		// Hamid, without JavaScript: the slot is taken, he joins its waiting list in one click
		const h = await phoneContext(browser, { javaScriptEnabled: false });
		const hp = await h.newPage();
		await signIn(hp, 'hamid@la-treso.demo');
		await hp.goto(at16());
		await hp.getByRole('button', { name: 'Réserver', exact: true }).click();
		await hp.waitForSelector('.alert.error');
		await hp.getByRole('button', { name: 'M’inscrire sur la liste d’attente' }).click();
		expect((await hp.locator('.alert.success').textContent())?.trim()).toBe('Vous êtes sur la liste d’attente : nous vous écrirons si le créneau se libère.');
		await hp.goto(server.url + '/reservations');
		expect(await hp.getByTestId('waiting').count()).toBe(1);
		expect(await hp.getByTestId('waiting').textContent()).toContain('En attente');
		await expectAccessibleNoJs(hp);

		// Léa cancels: the slot is offered to Hamid, by e-mail (read here in the outbox, as the admin would)
		await lp.goto(server.url + '/reservations');
		await lp.getByRole('button', { name: /^Annuler/ }).click();
		await lp.waitForSelector('.alert.success');
		await l.close();
		const a = await phoneContext(browser);
		const ap = await a.newPage();
		await signIn(ap, 'admin@la-treso.demo');
		await ap.goto(server.url + '/admin/outbox');
		const mail = ap.locator('li', { hasText: 'Un créneau s’est libéré : Découpeuse laser' }).first();
		expect(await mail.textContent()).toContain('hamid@la-treso.demo');
		const text = (await mail.locator('pre').textContent()) ?? '';
		const link = /https?:\/\/\S+\/machines\/decoupeuse-laser\?\S+/.exec(text)?.[0];
		expect(link, text).toBeTruthy();
		await a.close();

		// Hamid sees the offer, follows the link (the slot is chosen for him) and books it
		await hp.goto(server.url + '/reservations');
		expect(await hp.getByTestId('waiting').textContent()).toContain('Proposé jusqu’au');
		const u = new URL(link!);
		await hp.goto(server.url + u.pathname.replace(/^\/la-treso/, '') + u.search + u.hash);
		expect(await hp.locator('#f-debut').inputValue()).toBe('16:00');
		await hp.getByRole('button', { name: 'Réserver', exact: true }).click();
		await hp.waitForURL(/\/reservations\//);
		expect((await hp.getByTestId('booking-status').textContent())?.trim()).toBe('À payer');
		await hp.goto(server.url + '/reservations');
		expect(await hp.getByTestId('waiting').count()).toBe(0);
		await h.close();
	});
});
