import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../../tests/helpers/db';
import type { Database } from '../../server/db/client';
import { AppError } from '../../server/errors';
import { newId, sha256 } from '../../server/ids';
import { queueMail } from '../../server/mail';
import { invitation, session, verification } from '../../server/db/schema';
import { createAuth } from '../../server/auth';
import { CLIENT_IP_HEADER } from '../../server/auth';
import { addMember, createPlace, roleByKey, setupInstance } from '../places/commands.server';
import { getMembership } from '../places/queries.server';
import { createUserRecord, findUserByEmail, getUser } from './users.server';
import { recordConsent } from './commands.server';
import { createApiToken, verifyApiToken } from './tokens.server';
import { setConsent } from './profile.server';
import { ERASED_NAME, eraseAccount, erasedEmail, exportFileName, exportPersonalData } from './gdpr.server';

let database: Database;
let placeId: string;
let aliceId: string;
let bob: { id: string; email: string };
let bobToken: string;
const PASSWORD = 'un-mot-de-passe-solide';
const SESSION_TOKEN = 'session-token-of-bob-0123456789';

const count = async (sqlText: string, params: unknown[]) => Number((await database.query<{ n: string | number }>(sqlText, params))[0].n);

beforeAll(async () => {
	database = await freshDatabase();
	const r = await setupInstance(database.db, { name: 'La Fabrique', slug: 'la-fabrique', adminName: 'Alice', adminEmail: 'alice@example.org', adminPassword: PASSWORD });
	placeId = r.place.id;
	aliceId = r.user.id;
	const b = await database.db.transaction(async (tx) => {
		const u = await createUserRecord(tx, { email: 'Bob@Example.org', name: 'Bob Martin', password: PASSWORD, emailVerified: true });
		await addMember(tx, placeId, u.id, 'member', aliceId);
		const other = await createPlace(tx, { name: 'Le Garage', slug: 'le-garage' }, u.id);
		await addMember(tx, other.id, u.id, 'staff', u.id);
		const memberRole = await roleByKey(tx, placeId, 'member');
		await tx.insert(invitation).values({ id: newId(), placeId, email: 'bob@example.org', roleId: memberRole.id, tokenHash: sha256('invite-bob'), invitedBy: aliceId, expiresAt: new Date(Date.now() + 86_400_000) });
		await tx.insert(invitation).values({ id: newId(), placeId, email: 'someone@example.org', roleId: memberRole.id, tokenHash: sha256('invite-other'), invitedBy: aliceId, expiresAt: new Date(Date.now() + 86_400_000) });
		await tx.insert(session).values({ id: newId(), userId: u.id, token: SESSION_TOKEN, expiresAt: new Date(Date.now() + 86_400_000), ipAddress: '192.0.2.7', userAgent: 'Firefox test' });
		await tx.insert(verification).values([
			{ id: newId(), identifier: 'magic-token-bob', value: JSON.stringify({ type: 'magic-link', email: 'bob@example.org' }), expiresAt: new Date(Date.now() + 600_000) },
			{ id: newId(), identifier: 'reset-password:tok-bob', value: u.id, expiresAt: new Date(Date.now() + 600_000) },
			{ id: newId(), identifier: 'magic-token-other', value: JSON.stringify({ type: 'magic-link', email: 'someone@example.org' }), expiresAt: new Date(Date.now() + 600_000) }
		]);
		await queueMail(tx, { to: 'bob@example.org', locale: 'fr', template: 'mail.verify', url: 'http://x/verify', name: 'Bob Martin' });
		return u;
	});
	bob = { id: b.id, email: b.email };
	await recordConsent(database.db, bob.id, 'terms', true);
	await setConsent(database.db, bob.id, { purpose: 'photos', granted: 'true' });
	bobToken = (await createApiToken(database.db, bob.id, { name: 'tableur' })).token;
});
afterAll(async () => {
	await database?.close();
});

describe('export of personal data', () => {
	it('names the file lieu-mes-donnees-YYYY-MM-DD.json with the date of the given time zone', () => {
		const at = new Date('2025-03-01T23:30:00Z');
		expect(exportFileName(at, 'Europe/Paris')).toBe('lieu-mes-donnees-2025-03-02.json');
		expect(exportFileName(at, 'America/Montreal')).toBe('lieu-mes-donnees-2025-03-01.json');
	});

	it('contains the expected sections and the person’s data', async () => {
		const data = await exportPersonalData(database.db, bob.id);
		expect(Object.keys(data)).toEqual(
			expect.arrayContaining(['format', 'exportedAt', 'account', 'memberships', 'consents', 'apiTokens', 'sessions', 'auditEntries', 'mails', 'invitations', 'signInMethods'])
		);
		expect(data.account).toMatchObject({ id: bob.id, name: 'Bob Martin', email: 'bob@example.org', locale: 'fr', emailVerified: true, emailPrefs: { news: false, reminders: true } });
		expect(data.account.createdAt).toBeInstanceOf(Date);
		expect(data.memberships.map((m) => [m.place, m.role]).sort()).toEqual([
			['la-fabrique', 'member'],
			['le-garage', 'staff']
		]);
		expect(data.consents.map((c) => [c.purpose, c.granted])).toEqual(expect.arrayContaining([['terms', true], ['photos', true]]));
		expect(data.apiTokens).toEqual([expect.objectContaining({ name: 'tableur', prefix: bobToken.slice(0, 9) })]);
		expect(data.sessions).toEqual([expect.objectContaining({ ipAddress: '192.0.2.7', userAgent: 'Firefox test' })]);
		expect(data.signInMethods.map((s) => s.provider)).toEqual(['credential']);
		expect(data.invitations).toHaveLength(1);
		expect(data.auditEntries.map((a) => a.action)).toEqual(expect.arrayContaining(['place.create', 'member.add', 'consent.grant', 'token.create']));
		expect(data.auditEntries.every((a) => a.action && a.at)).toBe(true);
		expect(data.mails).toEqual([expect.objectContaining({ to: 'bob@example.org', template: 'mail.verify' })]);
	});

	it('never contains a password hash, a token hash or a session token', async () => {
		const json = JSON.stringify(await exportPersonalData(database.db, bob.id));
		const [{ password }] = await database.query<{ password: string }>('SELECT password FROM account WHERE user_id = $1', [bob.id]);
		const [{ token_hash }] = await database.query<{ token_hash: string }>('SELECT token_hash FROM api_token WHERE user_id = $1', [bob.id]);
		expect(password.length).toBeGreaterThan(20);
		expect(json).not.toContain(password);
		expect(json).not.toContain(token_hash);
		expect(json).not.toContain(bobToken);
		expect(json).not.toContain(SESSION_TOKEN);
		expect(json).not.toMatch(/"(password|tokenHash|token_hash|token)"\s*:/);
	});

	it('does not include other people’s data', async () => {
		const json = JSON.stringify(await exportPersonalData(database.db, bob.id));
		expect(json).not.toContain('someone@example.org');
		expect(json).not.toContain('alice@example.org');
	});

	it('refuses an unknown account', async () => {
		const e = await exportPersonalData(database.db, 'nobody').catch((x) => x);
		expect(e).toBeInstanceOf(AppError);
		expect(e.code).toBe('not_found');
	});
});

describe('account erasure', () => {
	const headers = () => new Headers({ [CLIENT_IP_HEADER]: '198.51.100.1' });

	it('refuses the last admin of a place that has other members, and changes nothing', async () => {
		const e = await eraseAccount(database.db, aliceId).catch((x) => x);
		expect(e).toBeInstanceOf(AppError);
		expect(e.code).toBe('last_admin');
		expect((await getUser(database.db, aliceId)).deletedAt).toBeNull();
		expect((await getMembership(database.db, placeId, aliceId))?.roleKey).toBe('admin');
		expect(await count(`SELECT count(*) AS n FROM audit_log WHERE action = 'account.erase'`, [])).toBe(0);
	});

	it('lets the person sign in before (so the check below means something)', async () => {
		const auth = createAuth(database.db, 'x'.repeat(40));
		const r = await auth.api.signInEmail({ body: { email: bob.email, password: PASSWORD }, headers: headers() });
		expect(r.user.id).toBe(bob.id);
	});

	it('erases personal data, pseudonymises the user row, keeps audit rows and queues the confirmation', async () => {
		const auditBefore = await count('SELECT count(*) AS n FROM audit_log WHERE actor_id = $1', [bob.id]);
		expect(auditBefore).toBeGreaterThan(3);
		const r = await eraseAccount(database.db, bob.id);
		expect(r.alreadyErased).toBe(false);
		expect(r.placeIds).toHaveLength(2);

		for (const table of ['session', 'account', 'api_token', 'consent', 'place_member']) {
			expect(await count(`SELECT count(*) AS n FROM ${table} WHERE user_id = $1`, [bob.id]), table).toBe(0);
		}
		expect(await count(`SELECT count(*) AS n FROM invitation WHERE lower(email) = 'bob@example.org'`, [])).toBe(0);
		expect(await count(`SELECT count(*) AS n FROM invitation WHERE email = 'someone@example.org'`, [])).toBe(1);
		expect(await count(`SELECT count(*) AS n FROM verification WHERE value = $1 OR value LIKE '%bob@example.org%'`, [bob.id])).toBe(0);
		expect(await count(`SELECT count(*) AS n FROM verification WHERE identifier = 'magic-token-other'`, [])).toBe(1);

		const u = await getUser(database.db, bob.id);
		expect(u).toMatchObject({ id: bob.id, name: ERASED_NAME, email: erasedEmail(bob.id), image: null, emailVerified: false, emailPrefs: { news: false, reminders: false } });
		expect(u.email).toBe(`deleted-${bob.id}@invalid.lieu`);
		expect(u.deletedAt).toBeInstanceOf(Date);
		expect(await findUserByEmail(database.db, 'bob@example.org')).toBeUndefined();

		// Audit rows stay, with the same (now pseudonymous) actor id, plus the erasure itself.
		const after = await database.query<{ action: string; place_id: string | null }>('SELECT action, place_id FROM audit_log WHERE actor_id = $1 ORDER BY id', [bob.id]);
		expect(after.length).toBe(auditBefore + 3);
		expect(after.at(-1)).toEqual({ action: 'account.erase', place_id: null });
		expect(after.filter((a) => a.action === 'member.remove')).toHaveLength(2);

		// The only mail left to the old address is the confirmation of the erasure.
		const mails = await database.query<{ template: string; status: string }>(`SELECT template, status FROM mail_outbox WHERE lower(to_address) = 'bob@example.org'`);
		expect(mails).toEqual([{ template: 'mail.deleted', status: 'pending' }]);

		expect(await verifyApiToken(database.db, bobToken)).toBeUndefined();
		const data = await exportPersonalData(database.db, bob.id);
		expect(data.memberships).toEqual([]);
		expect(data.account.name).toBe(ERASED_NAME);
	});

	it('a second erasure is harmless', async () => {
		const auditBefore = await count('SELECT count(*) AS n FROM audit_log', []);
		const mailsBefore = await count('SELECT count(*) AS n FROM mail_outbox', []);
		const r = await eraseAccount(database.db, bob.id);
		expect(r.alreadyErased).toBe(true);
		expect(await count('SELECT count(*) AS n FROM audit_log', [])).toBe(auditBefore);
		expect(await count('SELECT count(*) AS n FROM mail_outbox', [])).toBe(mailsBefore);
		expect((await getUser(database.db, bob.id)).email).toBe(erasedEmail(bob.id));
	});

	it('an erased account can no longer sign in: no password, no link to its pseudonym, no session', async () => {
		const auth = createAuth(database.db, 'x'.repeat(40));
		await expect(auth.api.signInEmail({ body: { email: bob.email, password: PASSWORD }, headers: headers() })).rejects.toThrow();
		await expect(auth.api.signInEmail({ body: { email: erasedEmail(bob.id), password: PASSWORD }, headers: headers() })).rejects.toThrow();
		await auth.api.signInMagicLink({ body: { email: erasedEmail(bob.id) }, headers: headers() });
		expect(await count('SELECT count(*) AS n FROM mail_outbox WHERE lower(to_address) = lower($1)', [erasedEmail(bob.id)])).toBe(0);
		const ctx = await auth.$context;
		await expect(ctx.internalAdapter.createSession(bob.id)).rejects.toThrow();
		expect(await count('SELECT count(*) AS n FROM session WHERE user_id = $1', [bob.id])).toBe(0);
	});

	it('lets an admin leave once another admin exists, and the only member of a place leave freely', async () => {
		const carol = await database.db.transaction(async (tx) => {
			const c = await createUserRecord(tx, { email: 'carol@example.org', name: 'Carol' });
			await addMember(tx, placeId, c.id, 'admin', aliceId);
			return c;
		});
		// Alice still has a member (Carol) but Carol is an admin too: Alice may go.
		const r = await eraseAccount(database.db, aliceId);
		expect(r.alreadyErased).toBe(false);
		expect((await getMembership(database.db, placeId, carol.id))?.roleKey).toBe('admin');
		// Carol is now the only admin, and the only member: nobody is left behind.
		expect((await eraseAccount(database.db, carol.id)).alreadyErased).toBe(false);
	});

	it('refuses an unknown account', async () => {
		const e = await eraseAccount(database.db, 'nobody').catch((x) => x);
		expect(e.code).toBe('not_found');
	});
});
