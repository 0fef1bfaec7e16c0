import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../../tests/helpers/db';
import type { Database } from '../../server/db/client';
import { AppError } from '../../server/errors';
import { setupInstance } from '../places/commands.server';
import { createUserRecord, getUser } from './users.server';
import { recordConsent } from './commands.server';
import { consentHistory, currentConsents, getProfile, profileTimezone, setConsent, updateProfile } from './profile.server';

let database: Database;
let aliceId: string;
let bobId: string;

beforeAll(async () => {
	database = await freshDatabase();
	const { user } = await setupInstance(database.db, {
		name: 'La Fabrique',
		slug: 'la-fabrique',
		timezone: 'America/Montreal',
		adminName: 'Alice',
		adminEmail: 'alice@example.org',
		adminPassword: 'un-mot-de-passe-solide'
	});
	aliceId = user.id;
	const bob = await database.db.transaction((tx) => createUserRecord(tx, { email: 'bob@example.org', name: 'Bob' }));
	bobId = bob.id;
});
afterAll(async () => {
	await database?.close();
});

async function auditActions(userId: string) {
	const rows = await database.query<{ action: string; data: Record<string, unknown> }>('SELECT action, data FROM audit_log WHERE actor_id = $1 ORDER BY id', [userId]);
	return rows;
}

describe('profile update', () => {
	it('refuses an empty name and an unknown language with field errors, and changes nothing', async () => {
		const e = await updateProfile(database.db, bobId, { name: '   ', locale: 'de' }).catch((x) => x);
		expect(e).toBeInstanceOf(AppError);
		expect(e.code).toBe('invalid_input');
		expect(e.fields).toMatchObject({ name: 'field.required', locale: 'field.invalid' });
		const u = await getUser(database.db, bobId);
		expect(u.name).toBe('Bob');
		expect(u.locale).toBe('fr');
	});

	it('refuses a name longer than 120 characters', async () => {
		const e = await updateProfile(database.db, bobId, { name: 'x'.repeat(121), locale: 'fr' }).catch((x) => x);
		expect(e.fields).toMatchObject({ name: 'field.too_long' });
	});

	it('saves name, language and e-mail preferences (an unticked box is false) and writes an audit entry', async () => {
		const u = await updateProfile(database.db, bobId, { name: '  Bob Martin ', locale: 'en', news: 'on' });
		expect(u).toMatchObject({ name: 'Bob Martin', locale: 'en', emailPrefs: { news: true, reminders: false } });
		const profile = await getProfile(database.db, bobId);
		expect(profile).toMatchObject({ name: 'Bob Martin', locale: 'en', emailPrefs: { news: true, reminders: false }, emailVerified: false });
		const actions = await auditActions(bobId);
		expect(actions.map((a) => a.action)).toEqual(['consent.grant', 'profile.update']);
		expect(actions[1].data.changed).toEqual(expect.arrayContaining(['name', 'locale', 'news', 'reminders']));
	});

	it('keeps the news preference and the news consent as one decision', async () => {
		const before = (await consentHistory(database.db, bobId)).filter((c) => c.purpose === 'news');
		expect(before.map((c) => c.granted)).toEqual([true]);
		// Saving again with the same choice records no new consent.
		await updateProfile(database.db, bobId, { name: 'Bob Martin', locale: 'en', news: 'on', reminders: 'on' });
		expect((await consentHistory(database.db, bobId)).filter((c) => c.purpose === 'news')).toHaveLength(1);
		// Unticking news withdraws the consent (a new row).
		await updateProfile(database.db, bobId, { name: 'Bob Martin', locale: 'en', reminders: 'on' });
		const after = (await consentHistory(database.db, bobId)).filter((c) => c.purpose === 'news');
		expect(after.map((c) => c.granted)).toEqual([false, true]);
	});

	it('shows the news consent given at sign-up as the news preference, and does not withdraw it on an unrelated save', async () => {
		const carol = await database.db.transaction((tx) => createUserRecord(tx, { email: 'carol@example.org', name: 'Carol' }));
		await recordConsent(database.db, carol.id, 'terms', true);
		await recordConsent(database.db, carol.id, 'news', true);
		const p = await getProfile(database.db, carol.id);
		expect(p.emailPrefs.news).toBe(true);
		await updateProfile(database.db, carol.id, { name: 'Carol B', locale: 'fr', news: p.emailPrefs.news ? 'on' : undefined, reminders: 'on' });
		const news = (await consentHistory(database.db, carol.id)).filter((c) => c.purpose === 'news');
		expect(news).toHaveLength(1);
		expect((await getUser(database.db, carol.id)).emailPrefs).toEqual({ news: true, reminders: true });
	});

	it('shows dates in the time zone of the person’s first place', async () => {
		expect(await profileTimezone(database.db, aliceId)).toBe('America/Montreal');
		expect(await profileTimezone(database.db, bobId)).toBe('Europe/Paris');
	});
});

describe('consents', () => {
	it('lists every purpose, undecided at first', async () => {
		const dave = await database.db.transaction((tx) => createUserRecord(tx, { email: 'dave@example.org' }));
		const c = await currentConsents(database.db, dave.id);
		expect(c.map((x) => x.purpose)).toEqual(['terms', 'news', 'photos', 'directory']);
		expect(c.every((x) => x.granted === null && x.at === null)).toBe(true);
		expect(c.filter((x) => x.optional).map((x) => x.purpose)).toEqual(['news', 'photos', 'directory']);
	});

	it('keeps the history: each change is a new row and an audit entry; the latest decision wins', async () => {
		const r1 = await setConsent(database.db, aliceId, { purpose: 'photos', granted: 'true' });
		expect(r1).toEqual({ purpose: 'photos', granted: true, changed: true });
		const r2 = await setConsent(database.db, aliceId, { purpose: 'photos', granted: 'false' });
		expect(r2.changed).toBe(true);
		const history = (await consentHistory(database.db, aliceId)).filter((c) => c.purpose === 'photos');
		expect(history.map((h) => h.granted)).toEqual([false, true]);
		const current = (await currentConsents(database.db, aliceId)).find((c) => c.purpose === 'photos');
		expect(current?.granted).toBe(false);
		expect(current?.at).toBeInstanceOf(Date);
		const actions = (await auditActions(aliceId)).filter((a) => a.action.startsWith('consent.'));
		expect(actions).toEqual([
			{ action: 'consent.grant', data: { purpose: 'photos' } },
			{ action: 'consent.withdraw', data: { purpose: 'photos' } }
		]);
	});

	it('records nothing when the decision does not change', async () => {
		const r = await setConsent(database.db, aliceId, { purpose: 'photos', granted: 'false' });
		expect(r.changed).toBe(false);
		expect((await consentHistory(database.db, aliceId)).filter((c) => c.purpose === 'photos')).toHaveLength(2);
	});

	it('withdrawing the news consent turns the news e-mails off', async () => {
		await setConsent(database.db, aliceId, { purpose: 'news', granted: 'true' });
		expect((await getUser(database.db, aliceId)).emailPrefs.news).toBe(true);
		await setConsent(database.db, aliceId, { purpose: 'news', granted: 'false' });
		expect((await getUser(database.db, aliceId)).emailPrefs.news).toBe(false);
	});

	it('refuses the terms (leaving them means erasing the account), unknown purposes and bad values', async () => {
		for (const raw of [
			{ purpose: 'terms', granted: 'false' },
			{ purpose: 'marketing', granted: 'true' },
			{ purpose: 'photos', granted: 'maybe' },
			{}
		]) {
			const e = await setConsent(database.db, aliceId, raw).catch((x) => x);
			expect(e).toBeInstanceOf(AppError);
			expect(e.code).toBe('invalid_input');
		}
	});
});
