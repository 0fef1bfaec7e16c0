// Journey: Camille (staff, bookings.manage) runs the machine space on a phone without JavaScript: edits the
// laser cutter's settings (a bad value is refused in French, the form keeps what was typed), adds a closure on
// the opening hours (shown on the public page), writes a maintenance entry. The calendar feeds are real .ics
// (parsed with ical.js); a member's private feed shows only their bookings and a wrong token is a 404.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import ICAL from 'ical.js';
import { expectAccessible, launchBrowser, phoneContext, signedInPhone, startServer, type LieuServer } from './harness';

let server: LieuServer;
let browser: Browser;
beforeAll(async () => {
	[server, browser] = await Promise.all([startServer(), launchBrowser()]);
	const ctx = await phoneContext(browser, { javaScriptEnabled: false });
	const page = await ctx.newPage();
	await page.goto(server.url + '/setup');
	await page.getByRole('button', { name: 'Commencer avec le lieu de démonstration' }).click();
	await page.waitForURL(server.url + '/');
	await ctx.close();
});
afterAll(async () => {
	await browser?.close();
	await server?.stop();
});

/** Set LIEU_E2E_SHOTS to a folder to keep 390×844 screenshots of the pages (for a human to look at). */
async function shot(page: Page, name: string) {
	const dir = process.env.LIEU_E2E_SHOTS;
	if (!dir) return;
	fs.mkdirSync(dir, { recursive: true });
	await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}

/** A phone context signed in as this demo person (the harness waits for the sign-in, however loaded the machine). */
const signIn = (email: string, javaScriptEnabled = false) => signedInPhone(browser, server.url, email, { javaScriptEnabled });

const narrow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

describe('running the machine space (staff, phone, no JavaScript)', () => {
	it('edits the laser cutter’s settings, adds a closure, writes a maintenance entry', async () => {
		const { ctx, page } = await signIn('equipe@la-treso.demo');
		await page.goto(server.url + '/admin/machines');
		expect((await page.getByRole('heading', { level: 1 }).textContent())?.trim()).toBe('Machines et salles');
		expect((await page.textContent('main'))?.replace(/\s/g, ' ')).toContain('30,00 € / h');
		await page.getByRole('link', { name: 'Découpeuse laser' }).click();
		await page.waitForURL(/\/admin\/machines\/[^/?]+$/);
		const laserUrl = page.url();

		// A longest booking that is not a whole number of slots: refused, in French, nothing lost.
		const form = page.locator('form[action="?/update"]');
		await form.getByLabel('Durée maximale (minutes)').fill('200');
		await form.getByLabel('Réservable jusqu’à (jours à l’avance)').fill('14');
		await form.getByLabel('Matériaux autorisés').fill('Bois, carton, acrylique ; jamais de PVC');
		await form.getByRole('button', { name: 'Enregistrer' }).click();
		await page.waitForLoadState();
		expect(await page.locator('form[action="?/update"] .field .error').allTextContents()).toEqual(['Un nombre entier de pas (ex. 30, 60, 90 pour un pas de 30).']);
		expect(await page.getByRole('alert').first().textContent()).toContain('Certaines informations ne sont pas valides.');
		expect(await form.getByLabel('Durée maximale (minutes)').inputValue()).toBe('200');
		expect(await form.getByLabel('Réservable jusqu’à (jours à l’avance)').inputValue()).toBe('14');
		expect(await form.getByLabel('Matériaux autorisés').inputValue()).toBe('Bois, carton, acrylique ; jamais de PVC');
		expect(await narrow(page)).toBeLessThanOrEqual(390);

		await form.getByLabel('Durée maximale (minutes)').fill('180');
		await form.getByRole('button', { name: 'Enregistrer' }).click();
		await page.waitForLoadState();
		expect(await page.locator('section[aria-labelledby="edit-title"] [role="status"]').textContent()).toContain('Modifications enregistrées.');
		await page.goto(laserUrl);
		expect(await page.getByLabel('Durée maximale (minutes)').inputValue()).toBe('180');
		expect(await page.getByLabel('Réservable jusqu’à (jours à l’avance)').inputValue()).toBe('14');
		expect(await page.getByLabel('Matériaux autorisés').inputValue()).toBe('Bois, carton, acrylique ; jamais de PVC');

		// A maintenance entry: blank is refused (the browser lets spaces through, the server does not), then it
		// lands at the top of the log.
		const log = page.locator('form[action="?/maintenance"]');
		await log.getByLabel('Type d’entrée').selectOption('maintenance');
		await log.getByLabel('Ce qui a été fait ou constaté').fill('   ');
		await log.getByRole('button', { name: 'Ajouter au journal' }).click();
		await page.waitForLoadState();
		expect(await page.locator('form[action="?/maintenance"] .field .error').allTextContents()).toEqual(['Ce champ est obligatoire.']);
		await page.locator('form[action="?/maintenance"]').getByLabel('Ce qui a été fait ou constaté').fill('Buse d’air comprimé débouchée, lentille nettoyée.');
		await page.locator('form[action="?/maintenance"]').getByRole('button', { name: 'Ajouter au journal' }).click();
		await page.waitForLoadState();
		expect(await page.locator('.log .entry .body').first().textContent()).toBe('Buse d’air comprimé débouchée, lentille nettoyée.');
		expect(await page.locator('.log .entry').first().textContent()).toContain('Camille Roux');
		await shot(page, 'admin-machine');

		// Opening hours: a closure on a date, with a reason.
		await page.goto(server.url + '/admin/horaires');
		expect(await page.getByLabel('Mardi').inputValue()).toBe('09:00-18:00');
		const ex = page.locator('form[action="?/exception"]');
		await ex.getByLabel('Date').fill('2099-05-02');
		await ex.getByLabel('Horaires ce jour-là (si ouvert)').fill('9h-midi');
		await ex.getByLabel('Motif').fill('Journée portes ouvertes');
		await ex.getByRole('button', { name: 'Ajouter l’exception' }).click();
		await page.waitForLoadState();
		expect(await page.locator('form[action="?/exception"] .field .error').allTextContents()).toEqual(['Heure non reconnue (ex. 9h30 ou 09:30).']);
		expect(await page.locator('form[action="?/exception"]').getByLabel('Motif').inputValue()).toBe('Journée portes ouvertes');
		await page.locator('form[action="?/exception"]').getByLabel('Horaires ce jour-là (si ouvert)').fill('9h-12h30, 14h-18h');
		await page.locator('form[action="?/exception"]').getByRole('button', { name: 'Ajouter l’exception' }).click();
		await page.waitForLoadState();
		expect(await page.getByRole('status').first().textContent()).toContain('Exception ajoutée.');
		expect(await page.textContent('section[aria-labelledby="exceptions-title"]')).toContain('Journée portes ouvertes');
		expect(await page.textContent('section[aria-labelledby="exceptions-title"]')).toContain('14:00–18:00');
		expect(await narrow(page)).toBeLessThanOrEqual(390);
		await shot(page, 'admin-horaires');

		await page.goto(server.url + '/admin/reservations');
		expect((await page.getByRole('heading', { level: 1 }).textContent())?.trim()).toBe('Réservations du jour');
		await ctx.close();

		// The same pages pass axe with JavaScript on.
		const a11y = await signIn('equipe@la-treso.demo', true);
		for (const p of ['/admin/machines', laserUrl.replace(server.url, ''), '/admin/horaires', '/admin/reservations', '/horaires']) {
			await a11y.page.goto(server.url + p);
			await expectAccessible(a11y.page);
		}
		await shot(a11y.page, 'horaires');
		await a11y.ctx.close();
	});

	it('is not open to members', async () => {
		const { ctx, page } = await signIn('membre@la-treso.demo');
		for (const p of ['/admin/machines', '/admin/horaires', '/admin/reservations']) expect((await page.goto(server.url + p))?.status(), p).toBe(403);
		await ctx.close();
		// their own pages: check in/out (nothing to check in in the demo) and the calendar link, accessible
		const a11y = await signIn('membre@la-treso.demo', true);
		for (const [p, h1] of [
			['/reservations/presence', 'Arrivée et départ'],
			['/reservations/calendrier', 'Mon agenda de réservations']
		]) {
			expect((await a11y.page.goto(server.url + p))?.status(), p).toBe(200);
			expect((await a11y.page.getByRole('heading', { level: 1 }).textContent())?.trim()).toBe(h1);
			await expectAccessible(a11y.page);
		}
		// nothing to check in or out: the demo's past uses are all checked out (one from last evening may still be
		// listed, done, when the journey runs at night: the page shows 12 hours back)
		await a11y.page.goto(server.url + '/reservations/presence');
		const main = (await a11y.page.textContent('main')) ?? '';
		if (!main.includes('Aucune réservation à pointer en ce moment.')) expect(main).toMatch(/Parti·e à \d\d:\d\d/);
		expect(await a11y.page.locator('main form[action$="?/checkIn"], main form[action$="?/checkOut"]').count()).toBe(0);
		await a11y.ctx.close();
	});
});

describe('calendar feeds', () => {
	it('publishes a machine’s busy times as a real .ics, and 404 for an unknown machine', async () => {
		const res = await fetch(server.url + '/machines/decoupeuse-laser/calendar.ics');
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
		const comp = new ICAL.Component(ICAL.parse(await res.text()));
		expect(comp.name).toBe('vcalendar');
		expect(comp.getFirstPropertyValue('x-wr-calname')).toBe('Découpeuse laser — La Tréso (créneaux pris)');
		expect((await fetch(server.url + '/machines/inconnue/calendar.ics')).status).toBe(404);
	});

	it('gives a member a private link shown once; a wrong or revoked token is a 404', async () => {
		const { ctx, page } = await signIn('membre@la-treso.demo');
		await page.goto(server.url + '/reservations/calendrier');
		await page.getByRole('button', { name: 'Créer mon lien d’agenda' }).click();
		await page.waitForLoadState();
		const url = await page.getByLabel('Votre lien d’agenda').inputValue();
		expect(url).toMatch(/\/reservations\/calendar\/cal_[A-Za-z0-9_-]+\.ics$/);
		const res = await fetch(url);
		expect(res.status).toBe(200);
		expect(res.headers.get('cache-control')).toContain('no-store');
		const comp = new ICAL.Component(ICAL.parse(await res.text()));
		expect(comp.getFirstPropertyValue('x-wr-calname')).toBe('Mes réservations — La Tréso');
		expect((await fetch(url.replace(/cal_./, 'cal_x'))).status).toBe(404);
		// shown once: a reload shows no link
		await page.goto(server.url + '/reservations/calendrier');
		expect(await page.getByLabel('Votre lien d’agenda').count()).toBe(0);
		await page.getByRole('button', { name: 'Supprimer le lien' }).click();
		await page.waitForLoadState();
		expect((await fetch(url)).status).toBe(404);
		await ctx.close();
	});
});
