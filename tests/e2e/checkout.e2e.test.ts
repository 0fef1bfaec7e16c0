// Journey: the La Tréso admin puts an hour pack on sale; a member (phone, JavaScript OFF) buys it from their
// wallet page, pays through a fake Stripe Checkout (a local server the app's stripe client talks to, which
// posts a locally signed checkout.session.completed to the webhook), comes back to a paid order and sees the
// hours in the wallet. Then the webhook endpoint of the built server is hit directly: bad signature → 400,
// replay → nothing new, wrong amount → not paid.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { expectAccessible, expectAccessibleNoJs as expectAccessibleNoJsIn, launchBrowser, phoneContext, signIn as signInAt, startServer, type LieuServer } from './harness';
import { startFakeStripe, type FakeStripe } from '../helpers/fake-stripe';

const SECRET = 'whsec_e2e_local_secret';
let server: LieuServer;
let browser: Browser;
let fake: FakeStripe;

beforeAll(async () => {
	fake = await startFakeStripe({ webhookSecret: SECRET });
	[server, browser] = await Promise.all([startServer({ STRIPE_SECRET_KEY: 'sk_test_fake', STRIPE_WEBHOOK_SECRET: SECRET, STRIPE_API_URL: fake.url }), launchBrowser()]);
	fake.webhookUrl = `${server.url}/api/v1/webhooks/stripe`;
});
afterAll(async () => {
	await browser?.close();
	await server?.stop();
	await fake?.close();
});

const signIn = (page: Page, email: string, password: string) => signInAt(page, server.url, email, password);

/** axe on the page a no-JavaScript visitor is on (harness: a JavaScript-enabled twin with the same cookies). */
const expectAccessibleNoJs = (page: Page) => expectAccessibleNoJsIn(browser, page);

const postWebhook = (payload: string, signature?: string) =>
	fetch(`${server.url}/api/v1/webhooks/stripe`, { method: 'POST', headers: { 'content-type': 'application/json', ...(signature ? { 'stripe-signature': signature } : {}) }, body: payload });

describe('checkout journey (phone, French)', () => {
	it('the admin loads the demo and puts a 10-hour machine pack on sale; bad input keeps what was typed', async () => {
		const ctx = await phoneContext(browser);
		const page = await ctx.newPage();
		await page.goto(server.url + '/');
		await page.getByRole('button', { name: 'Commencer avec le lieu de démonstration' }).click();
		await page.waitForURL(server.url + '/');
		await page.goto(server.url + '/admin/commandes');
		expect((await page.getByRole('heading', { level: 1 }).textContent())?.trim()).toBe('Commandes');
		await expectAccessible(page);
		await page.getByLabel('Nom').fill('Carnet 10 h machines');
		await page.getByLabel('Quantité (heures ou euros)').fill('dix');
		await page.getByLabel('Prix en euros').fill('150');
		await page.getByRole('button', { name: 'Mettre en vente' }).click();
		await page.waitForSelector('.alert.error');
		expect(await page.getByLabel('Nom').inputValue()).toBe('Carnet 10 h machines');
		expect(await page.textContent('main')).toContain('Certaines informations ne sont pas valides');
		await page.getByLabel('Quantité (heures ou euros)').fill('10');
		await page.getByRole('button', { name: 'Mettre en vente' }).click();
		await page.waitForSelector('.alert.success');
		expect(await page.textContent('main')).toContain('Carnet 10 h machines : 10 h pour 150,00');
		await expectAccessible(page);
		await ctx.close();
	});

	it('a member buys the pack without JavaScript, pays on the fake Stripe page and sees 10 hours in the wallet', async () => {
		const ctx = await phoneContext(browser, { javaScriptEnabled: false });
		const page = await ctx.newPage();
		await signIn(page, 'membre@la-treso.demo', 'demo-treso-2026');
		await page.goto(server.url + '/porte-monnaie');
		expect((await page.getByRole('heading', { level: 1 }).textContent())?.trim()).toBe('Mon porte-monnaie');
		expect((await page.getByTestId('balance-hours').textContent())?.trim()).toBe('0 h');
		await expectAccessibleNoJs(page);

		// an invalid free amount: translated message, the typed value kept
		await page.getByLabel('Autre montant de crédit, en euros').fill('2');
		await page.getByRole('button', { name: 'Commander ce crédit' }).click();
		await page.waitForSelector('.alert.error');
		expect(await page.getByLabel('Autre montant de crédit, en euros').inputValue()).toBe('2');

		await page.getByRole('button', { name: /Acheter Carnet 10 h machines/ }).click();
		await page.waitForURL(/\/commande\/[A-Za-z0-9_-]+$/);
		const orderPath = new URL(page.url()).pathname;
		expect((await page.getByTestId('order-status').textContent())?.trim()).toBe('En attente de paiement');
		expect((await page.getByTestId('order-total').textContent())?.replace(/\s/g, ' ')).toContain('150,00');
		await expectAccessibleNoJs(page);

		await page.getByRole('button', { name: 'Payer en ligne' }).click();
		await page.waitForURL(new RegExp(`^${fake.url}/pay/cs_test_`));
		const session = [...fake.sessions.values()].at(-1)!;
		expect(session.amount_total).toBe(15000);
		expect(session.client_reference_id).toBe(orderPath.split('/').at(-1));
		await page.getByRole('button', { name: 'Payer (carte de test)' }).click();
		await page.waitForURL(`${server.url}${orderPath}?retour=ok`);
		expect((await page.getByTestId('order-status').textContent())?.trim()).toBe('Payée');
		expect(await page.textContent('main')).toContain('Ticket n° ');
		await expectAccessibleNoJs(page);

		await page.goto(server.url + '/porte-monnaie');
		expect((await page.getByTestId('balance-hours').textContent())?.trim()).toBe('10 h');
		expect(await page.textContent('main')).toContain('Carnet d’heures');
		await ctx.close();
	});

	it('the webhook endpoint: 400 on a missing or bad signature, replays and wrong amounts change nothing', async () => {
		const session = [...fake.sessions.values()].at(-1)!;
		const payload = fake.eventPayload('checkout.session.completed', { ...session, payment_status: 'paid' }, 'evt_e2e_replay');
		const missing = await postWebhook(payload);
		expect(missing.status).toBe(400);
		expect((await missing.json()).error.code).toBe('invalid_input');
		expect((await postWebhook(payload, fake.sign(payload, 'whsec_not_ours'))).status).toBe(400);
		const first = await postWebhook(payload, fake.sign(payload));
		expect(first.status).toBe(200);
		expect((await first.json()).result).toBe('already_final');
		const again = await postWebhook(payload, fake.sign(payload));
		expect((await again.json()).result).toBe('duplicate');
		const cheap = fake.eventPayload('checkout.session.completed', { ...session, payment_status: 'paid', amount_total: 100 });
		expect((await (await postWebhook(cheap, fake.sign(cheap))).json()).result).toBe('already_final');
		expect((await fetch(`${server.url}/api/v1/webhooks/stripe`)).status).toBe(405);
		expect(server.logs.join('')).not.toMatch(/"level":50/);
	});

	it('staff see the paid order on the order desk', async () => {
		const ctx = await phoneContext(browser);
		const page = await ctx.newPage();
		await signIn(page, 'admin@la-treso.demo', 'demo-treso-2026');
		await page.goto(server.url + '/admin/commandes?statut=paid');
		const main = await page.textContent('main');
		expect(main).toContain('1 × Carnet 10 h machines');
		expect(main).toContain('En ligne');
		await expectAccessible(page);
		await ctx.close();
	});
});
