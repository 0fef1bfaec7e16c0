import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../../tests/helpers/db';
import type { Database } from '../../server/db/client';
import { AppError } from '../../server/errors';
import { sha256 } from '../../server/ids';
import { resolvePlace } from '../../server/place-context';
import { addMember, createPlace, saveRole, setupInstance } from '../places/commands.server';
import { getMembership } from '../places/queries.server';
import { createUserRecord } from './users.server';
import { changeMemberRole, escapeLike, listAudit, listInstanceOutbox, listMembers, listPlaceOutbox, PAGE_SIZE, removeMember } from './admin.server';
import { catalogue } from '../../i18n';
import { PERMISSIONS } from '../places/policy';
import { acceptInvitation, createInvitation, getInvitationByToken, listPendingInvitations, revokeInvitation } from './invitations.server';

let database: Database;
const ids: Record<string, string> = {};
let placeA: { id: string; slug: string };
let placeB: { id: string; slug: string };

async function user(key: string, name: string, email = `${key}@example.org`) {
	const u = await createUserRecord(database.db, { email, name });
	ids[key] = u.id;
	return u;
}
/** A place scope for a person, minted the way every request does it. */
async function scopeOf(slug: string, key: string | null) {
	const viewer = key ? { id: ids[key], isOperator: false } : null;
	return (await resolvePlace(database.db, slug, viewer)).scope;
}
async function code(p: Promise<unknown>): Promise<string> {
	const e = await p.then(
		() => undefined,
		(x) => x
	);
	expect(e, 'expected the call to fail').toBeInstanceOf(AppError);
	return (e as AppError).code;
}
async function auditActions(placeId: string) {
	return (await database.query<{ action: string; data: Record<string, unknown> }>('SELECT action, data FROM audit_log WHERE place_id = $1 ORDER BY id', [placeId]));
}

beforeAll(async () => {
	database = await freshDatabase();
	const { place, user: admin } = await setupInstance(database.db, {
		name: 'Atelier A',
		slug: 'atelier-a',
		adminName: 'Alice Admin',
		adminEmail: 'alice@example.org',
		adminPassword: 'un-mot-de-passe-solide'
	});
	ids.alice = admin.id;
	placeA = place;
	await user('bob', 'Bob 100% Bio');
	await user('anne', 'Anne_Marie Dupont');
	await user('annex', 'AnneXMarie Leroy');
	await user('carl', 'Carl Staff', 'CARL@Example.org');
	await user('dana', 'Dana Member');
	await user('zed', 'Zed Outsider');
	for (const [k, r] of [['bob', 'member'], ['anne', 'member'], ['annex', 'member'], ['carl', 'staff'], ['dana', 'member']] as const) {
		await addMember(database.db, placeA.id, ids[k], r, ids.alice);
	}
	// Place B, with its own admin (Bea) and a member (Eve).
	placeB = await database.db.transaction((tx) => createPlace(tx, { name: 'Bureau B', slug: 'bureau-b' }, null));
	await user('bea', 'Bea Boss');
	await user('eve', 'Eve B');
	await addMember(database.db, placeB.id, ids.bea, 'admin', null);
	await addMember(database.db, placeB.id, ids.eve, 'member', null);
});
afterAll(async () => {
	await database?.close();
});

describe('member list and search', () => {
	it('lists the place members with role and date, by name', async () => {
		const page = await listMembers(database.db, await scopeOf('atelier-a', 'alice'));
		expect(page.total).toBe(6);
		expect(page.rows.map((r) => r.name)).toEqual(['Alice Admin', 'Anne_Marie Dupont', 'AnneXMarie Leroy', 'Bob 100% Bio', 'Carl Staff', 'Dana Member']);
		const carl = page.rows.find((r) => r.userId === ids.carl)!;
		expect(carl.roleKey).toBe('staff');
		expect(carl.email).toBe('carl@example.org');
		expect(carl.since).toBeInstanceOf(Date);
	});

	it('matches name or e-mail case-insensitively', async () => {
		const s = await scopeOf('atelier-a', 'alice');
		expect((await listMembers(database.db, s, { q: 'ALICE' })).rows.map((r) => r.userId)).toEqual([ids.alice]);
		expect((await listMembers(database.db, s, { q: 'carl@EXAMPLE' })).rows.map((r) => r.userId)).toEqual([ids.carl]);
	});

	it('treats % and _ typed in the search box literally', async () => {
		const s = await scopeOf('atelier-a', 'alice');
		expect(escapeLike('a%b_c\\')).toBe('a\\%b\\_c\\\\');
		// '_' must not match the X of "AnneXMarie"
		expect((await listMembers(database.db, s, { q: 'anne_marie' })).rows.map((r) => r.userId)).toEqual([ids.anne]);
		// '%' must not match everyone
		expect((await listMembers(database.db, s, { q: '%' })).rows.map((r) => r.userId)).toEqual([ids.bob]);
		expect((await listMembers(database.db, s, { q: '100%' })).rows.map((r) => r.userId)).toEqual([ids.bob]);
		expect((await listMembers(database.db, s, { q: '\\' })).total).toBe(0);
	});

	it('pages by 50', async () => {
		const placeC = await database.db.transaction((tx) => createPlace(tx, { name: 'Grand C', slug: 'grand-c' }, null));
		for (let i = 0; i < PAGE_SIZE + 3; i++) {
			const u = await createUserRecord(database.db, { email: `p${i}@c.example`, name: `Person ${String(i).padStart(2, '0')}` });
			await addMember(database.db, placeC.id, u.id, i === 0 ? 'admin' : 'member', null);
			if (i === 0) ids.cadmin = u.id;
		}
		const s = await scopeOf('grand-c', 'cadmin');
		const p1 = await listMembers(database.db, s, { page: 1 });
		const p2 = await listMembers(database.db, s, { page: 2 });
		expect(p1.total).toBe(PAGE_SIZE + 3);
		expect(p1.pageCount).toBe(2);
		expect(p1.rows).toHaveLength(PAGE_SIZE);
		expect(p2.rows.map((r) => r.name)).toEqual(['Person 50', 'Person 51', 'Person 52']);
	});
});

describe('role changes', () => {
	it('changes a role at once and audits it', async () => {
		const admin = await scopeOf('atelier-a', 'alice');
		const r = await changeMemberRole(database.db, admin, { userId: ids.dana, role: 'staff' });
		expect(r).toEqual({ changed: true, from: 'member', to: 'staff' });
		// The next request of Dana reads the new permissions from the database.
		const dana = await scopeOf('atelier-a', 'dana');
		expect(dana.roleKey).toBe('staff');
		expect(dana.permissions.has('cafe.sell')).toBe(true);
		const last = (await auditActions(placeA.id)).at(-1)!;
		expect(last.action).toBe('member.role');
		expect(last.data).toEqual({ from: 'member', to: 'staff' });
	});

	it('refuses an unknown role', async () => {
		const admin = await scopeOf('atelier-a', 'alice');
		expect(await code(changeMemberRole(database.db, admin, { userId: ids.dana, role: 'pope' }))).toBe('invalid_input');
	});

	it('never demotes or removes the last admin, but allows it once another admin exists', async () => {
		const admin = await scopeOf('atelier-a', 'alice');
		expect(await code(changeMemberRole(database.db, admin, { userId: ids.alice, role: 'member' }))).toBe('last_admin');
		expect(await code(removeMember(database.db, admin, { userId: ids.alice }))).toBe('last_admin');
		expect((await getMembership(database.db, placeA.id, ids.alice))?.roleKey).toBe('admin');

		await changeMemberRole(database.db, admin, { userId: ids.carl, role: 'admin' });
		await changeMemberRole(database.db, admin, { userId: ids.alice, role: 'staff' });
		expect((await getMembership(database.db, placeA.id, ids.alice))?.roleKey).toBe('staff');
		// Alice is no admin any more: her old scope object is stale, a new request is refused.
		expect(await code(changeMemberRole(database.db, await scopeOf('atelier-a', 'alice'), { userId: ids.alice, role: 'admin' }))).toBe('forbidden');
		// Carl, now the only admin, cannot remove himself.
		const carl = await scopeOf('atelier-a', 'carl');
		expect(await code(removeMember(database.db, carl, { userId: ids.carl }))).toBe('last_admin');
		await changeMemberRole(database.db, carl, { userId: ids.alice, role: 'admin' });
	});

	it('removes a member and audits it', async () => {
		const admin = await scopeOf('atelier-a', 'alice');
		const extra = await user('temp', 'Temp Person');
		await addMember(database.db, placeA.id, extra.id, 'member', ids.alice);
		await removeMember(database.db, admin, { userId: extra.id });
		expect(await getMembership(database.db, placeA.id, extra.id)).toBeUndefined();
		expect((await auditActions(placeA.id)).at(-1)).toMatchObject({ action: 'member.remove', data: { role: 'member' } });
		expect(await code(removeMember(database.db, admin, { userId: extra.id }))).toBe('not_found');
	});

	it('does not let a role manager hand out more than they hold', async () => {
		const admin = await scopeOf('atelier-a', 'alice');
		await saveRole(database.db, admin, { key: 'coordination', name: 'Coordination', permissions: ['people.view', 'people.roles', 'machines.book'] }, 'create');
		await changeMemberRole(database.db, admin, { userId: ids.bob, role: 'coordination' });
		const bob = await scopeOf('atelier-a', 'bob');
		expect(await code(changeMemberRole(database.db, bob, { userId: ids.bob, role: 'admin' }))).toBe('forbidden');
		expect(await code(changeMemberRole(database.db, bob, { userId: ids.alice, role: 'member' }))).toBe('forbidden');
		// Within his own permissions he may act.
		expect(await changeMemberRole(database.db, bob, { userId: ids.anne, role: 'coordination' })).toMatchObject({ changed: true });
		await changeMemberRole(database.db, bob, { userId: ids.anne, role: 'member' });
		expect(await code(saveRole(database.db, admin, { key: 'coordination', name: 'Autre nom', permissions: [] }, 'create'))).toBe('conflict');
		await changeMemberRole(database.db, admin, { userId: ids.bob, role: 'member' });
	});
});

describe('permissions and tenancy', () => {
	it('refuses a member without the permission, and an anonymous visitor', async () => {
		const anne = await scopeOf('atelier-a', 'anne');
		expect(anne.roleKey).toBe('member');
		expect(await code(listMembers(database.db, anne))).toBe('forbidden');
		expect(await code(changeMemberRole(database.db, anne, { userId: ids.anne, role: 'admin' }))).toBe('forbidden');
		expect(await code(removeMember(database.db, anne, { userId: ids.bob }))).toBe('forbidden');
		expect(await code(createInvitation(database.db, anne, { email: 'x@example.org', role: 'member' }))).toBe('forbidden');
		expect(await code(listAudit(database.db, anne))).toBe('forbidden');
		expect(await code(listPlaceOutbox(database.db, anne))).toBe('forbidden');
		const anon = await scopeOf('atelier-a', null);
		expect(await code(listMembers(database.db, anon))).toBe('unauthenticated');
		// Someone outside the place (no membership) is refused too.
		expect(await code(listMembers(database.db, await scopeOf('atelier-a', 'zed')))).toBe('forbidden');
	});

	it("keeps another place's admin away from this place's members", async () => {
		const bea = await scopeOf('bureau-b', 'bea');
		expect(bea.permissions.has('people.roles')).toBe(true);
		// B's list shows only B's people, whatever the search.
		const list = await listMembers(database.db, bea, { q: '' });
		expect(list.rows.map((r) => r.userId).sort()).toEqual([ids.bea, ids.eve].sort());
		expect((await listMembers(database.db, bea, { q: 'alice' })).total).toBe(0);
		// B's admin cannot change, remove or see an A member through B's scope.
		const before = await getMembership(database.db, placeA.id, ids.dana);
		expect(await code(changeMemberRole(database.db, bea, { userId: ids.dana, role: 'admin' }))).toBe('not_found');
		expect(await code(removeMember(database.db, bea, { userId: ids.dana }))).toBe('not_found');
		expect(await getMembership(database.db, placeA.id, ids.dana)).toEqual(before);
		expect(await getMembership(database.db, placeB.id, ids.dana)).toBeUndefined();
		// Nor A's audit log or mails.
		const audit = await listAudit(database.db, bea);
		expect(audit.rows.every((r) => !['member.role', 'member.remove'].includes(r.action) || r.targetId !== ids.dana)).toBe(true);
		// And B's admin has no power in A at all: resolving A's scope gives no permission.
		const beaInA = await scopeOf('atelier-a', 'bea');
		expect(beaInA.roleKey).toBeNull();
		expect(await code(listMembers(database.db, beaInA))).toBe('forbidden');
		expect(await code(changeMemberRole(database.db, beaInA, { userId: ids.dana, role: 'admin' }))).toBe('forbidden');
	});
});

describe('invitations', () => {
	let token = '';

	it('creates an invitation: hashed token, 14 days, a queued mail with the link, an audit entry', async () => {
		const admin = await scopeOf('atelier-a', 'alice');
		const now = new Date();
		const inv = await createInvitation(database.db, admin, { email: ' New.Person@Example.org ', role: 'staff' }, { baseUrl: 'https://lieu.example/' });
		token = inv.token;
		expect(inv.email).toBe('new.person@example.org');
		expect(inv.url).toBe(`https://lieu.example/invite/${token}`);
		const [row] = await database.query<{ token_hash: string; expires_at: Date; place_id: string }>('SELECT token_hash, expires_at, place_id FROM invitation WHERE id = $1', [inv.id]);
		expect(row.token_hash).toBe(sha256(token));
		expect(row.token_hash).not.toContain(token);
		expect(row.place_id).toBe(placeA.id);
		const days = (new Date(row.expires_at).getTime() - now.getTime()) / 86_400_000;
		expect(days).toBeGreaterThan(13.99);
		expect(days).toBeLessThan(14.01);
		const [mail] = await database.query<{ to_address: string; template: string; text_body: string; subject: string }>(
			"SELECT to_address, template, text_body, subject FROM mail_outbox WHERE place_id = $1 AND template = 'mail.invite' ORDER BY id DESC LIMIT 1",
			[placeA.id]
		);
		expect(mail.to_address).toBe('new.person@example.org');
		expect(mail.subject).toContain('Atelier A');
		expect(mail.text_body).toContain(`https://lieu.example/invite/${token}`);
		expect(mail.text_body).toContain('Alice Admin');
		expect((await auditActions(placeA.id)).at(-1)).toMatchObject({ action: 'invitation.create', data: { role: 'staff' } });
		const pending = await listPendingInvitations(database.db, admin);
		expect(pending.map((p) => [p.email, p.roleKey])).toEqual([['new.person@example.org', 'staff']]);
		// The place's outbox page lists it; the instance outbox is for operators only.
		expect((await listPlaceOutbox(database.db, admin)).rows.some((m) => m.template === 'mail.invite')).toBe(true);
		expect(await code(listInstanceOutbox(database.db, { isOperator: false }))).toBe('forbidden');
		expect((await listInstanceOutbox(database.db, { isOperator: true })).rows.every((m) => m.template !== 'mail.invite')).toBe(true);
	});

	it('shows the invitation, then lets the signed-in person join with that role (once)', async () => {
		const view = await getInvitationByToken(database.db, token);
		expect(view.place.name).toBe('Atelier A');
		expect(view.role.key).toBe('staff');
		const newbie = await user('newbie', 'New Person', 'new.person@example.org');
		await acceptInvitation(database.db, token, newbie.id);
		expect((await getMembership(database.db, placeA.id, newbie.id))?.roleKey).toBe('staff');
		expect((await auditActions(placeA.id)).at(-1)).toMatchObject({ action: 'invitation.accept', data: { role: 'staff' } });
		expect(await code(getInvitationByToken(database.db, token))).toBe('invalid_token');
		expect(await code(acceptInvitation(database.db, token, ids.zed))).toBe('invalid_token');
		expect(await listPendingInvitations(database.db, await scopeOf('atelier-a', 'alice'))).toEqual([]);
	});

	it('refuses an existing member (whatever the case of the address)', async () => {
		const admin = await scopeOf('atelier-a', 'alice');
		const e = await createInvitation(database.db, admin, { email: 'Carl@EXAMPLE.org', role: 'member' }).catch((x) => x);
		expect(e).toBeInstanceOf(AppError);
		expect(e.code).toBe('already_member');
		expect(e.fields).toEqual({ email: 'error.already_member' });
	});

	it('refuses bad input and a role beyond the inviter', async () => {
		const admin = await scopeOf('atelier-a', 'alice');
		const e = await createInvitation(database.db, admin, { email: 'not-an-email', role: '' }).catch((x) => x);
		expect(e.code).toBe('invalid_input');
		expect(Object.keys(e.fields).sort()).toEqual(['email', 'role']);
		expect(await code(createInvitation(database.db, admin, { email: 'x@example.org', role: 'nope' }))).toBe('invalid_input');
		await saveRole(database.db, admin, { key: 'recrutement', name: 'Recrutement', permissions: ['people.view', 'people.invite', 'machines.book'] }, 'create');
		await changeMemberRole(database.db, admin, { userId: ids.annex, role: 'recrutement' });
		const annex = await scopeOf('atelier-a', 'annex');
		expect(await code(createInvitation(database.db, annex, { email: 'boss@example.org', role: 'admin' }))).toBe('forbidden');
		await createInvitation(database.db, annex, { email: 'ok@example.org', role: 'member' });
	});

	it('refuses an expired, unknown or revoked link', async () => {
		const admin = await scopeOf('atelier-a', 'alice');
		const old = await createInvitation(database.db, admin, { email: 'late@example.org', role: 'member' }, { now: new Date(Date.now() - 15 * 86_400_000) });
		expect(await code(getInvitationByToken(database.db, old.token))).toBe('invalid_token');
		expect(await code(acceptInvitation(database.db, old.token, ids.zed))).toBe('invalid_token');
		expect((await listPendingInvitations(database.db, admin)).map((p) => p.email)).not.toContain('late@example.org');
		expect(await code(getInvitationByToken(database.db, 'x'.repeat(32)))).toBe('invalid_token');
		expect(await code(getInvitationByToken(database.db, 'short'))).toBe('invalid_token');

		const rev = await createInvitation(database.db, admin, { email: 'revoked@example.org', role: 'member' });
		// Place B's admin cannot revoke (or see) it.
		const bea = await scopeOf('bureau-b', 'bea');
		expect(await code(revokeInvitation(database.db, bea, { id: rev.id }))).toBe('not_found');
		expect(await listPendingInvitations(database.db, bea)).toEqual([]);
		await revokeInvitation(database.db, admin, { id: rev.id });
		expect(await code(getInvitationByToken(database.db, rev.token))).toBe('invalid_token');
		expect((await auditActions(placeA.id)).at(-1)).toMatchObject({ action: 'invitation.revoke' });
		expect(await getMembership(database.db, placeA.id, ids.zed)).toBeUndefined();
	});

	it('refuses to accept for someone already in the place, and keeps the link usable', async () => {
		const admin = await scopeOf('atelier-a', 'alice');
		const inv = await createInvitation(database.db, admin, { email: 'someone@example.org', role: 'staff' });
		expect(await code(acceptInvitation(database.db, inv.token, ids.dana))).toBe('already_member');
		expect((await getInvitationByToken(database.db, inv.token)).role.key).toBe('staff');
	});
});

describe('audit log page', () => {
	it('lists newest first, filters by action prefix literally, and names erased actors as such', async () => {
		const admin = await scopeOf('atelier-a', 'alice');
		const all = await listAudit(database.db, admin);
		expect(all.total).toBeGreaterThan(5);
		const times = all.rows.map((r) => new Date(r.at).getTime());
		expect([...times].sort((a, b) => b - a)).toEqual(times);
		const inv = await listAudit(database.db, admin, { action: 'invitation.' });
		expect(inv.rows.length).toBeGreaterThan(0);
		expect(inv.rows.every((r) => r.action.startsWith('invitation.'))).toBe(true);
		expect((await listAudit(database.db, admin, { action: '%' })).total).toBe(0);
		expect(all.rows.find((r) => r.action === 'member.role')?.actorName).toBe('Alice Admin');
		await database.query('UPDATE "user" SET deleted_at = now(), name = $2 WHERE id = $1', [ids.bob, 'erased']);
		const coordination = await listAudit(database.db, admin, { action: 'member.role' });
		const byBob = coordination.rows.find((r) => r.actorId === ids.bob);
		expect(byBob).toBeDefined();
		expect(byBob!.actorName).toBeNull();
	});
});

describe('roles page labels', () => {
	it('has a French and an English label for every permission', () => {
		for (const p of PERMISSIONS) {
			expect(catalogue('fr')[`perm.${p}`], `fr perm.${p}`).toBeTruthy();
			expect(catalogue('en')[`perm.${p}`], `en perm.${p}`).toBeTruthy();
		}
	});
});
