import type { Permission } from './places/policy';

/**
 * The sections of a place's menu, in the order shown. Everyday sections first, then the administration
 * sections grouped by domain (`admin: true`, shown under an "Administration" label).
 */
export const NAV_SECTIONS = [
	{ key: 'place', label: 'nav.section.place', admin: false },
	{ key: 'workshop', label: 'nav.section.workshop', admin: false },
	{ key: 'cafe', label: 'nav.section.cafe', admin: false },
	{ key: 'account', label: 'nav.section.account', admin: false },
	{ key: 'money', label: 'nav.section.money', admin: true },
	{ key: 'machines', label: 'nav.section.machines', admin: true },
	{ key: 'people', label: 'nav.section.people', admin: true }
] as const;

export type NavSectionKey = (typeof NAV_SECTIONS)[number]['key'];

export interface NavItem {
	/** Path inside the place (prefixed with the place base). */
	path: string;
	label: string;
	/** Shown only with this permission. */
	permission?: Permission;
	/** Shown only to members of the place. */
	membersOnly?: boolean;
	/** Shown only when this module is enabled for the place. */
	module?: string;
	section: NavSectionKey;
}

/** Navigation of a place. Each module adds its entries when it ships; unbuilt modules never show. */
export const NAV: NavItem[] = [
	{ path: '/', label: 'nav.home', section: 'place' },
	{ path: '/agenda', label: 'events.nav', module: 'events', section: 'place' },
	{ path: '/horaires', label: 'hours.nav', section: 'place' },
	{ path: '/residents', label: 'residents.nav', module: 'workshop', section: 'place' },
	{ path: '/partenaires', label: 'partners.nav', module: 'partners', section: 'place' },
	{ path: '/machines', label: 'resources.nav', module: 'machines', section: 'workshop' },
	{ path: '/formations', label: 'trainings.nav', module: 'machines', section: 'workshop' },
	{ path: '/reservations', label: 'booking.nav', membersOnly: true, module: 'machines', section: 'workshop' },
	{ path: '/reservations/presence', label: 'presence.nav', membersOnly: true, module: 'machines', section: 'workshop' },
	{ path: '/habilitations', label: 'qualifications.nav', membersOnly: true, module: 'machines', section: 'workshop' },
	{ path: '/caisse', label: 'till.nav', permission: 'cafe.sell', section: 'cafe' },
	{ path: '/admin/commandes', label: 'admin.orders.nav', permission: 'cafe.sell', section: 'cafe' },
	{ path: '/admin/catalogue', label: 'catalogue.nav', permission: 'cafe.menu', section: 'cafe' },
	{ path: '/porte-monnaie', label: 'wallet.nav', membersOnly: true, section: 'account' },
	{ path: '/admin/finances', label: 'nav.finances', permission: 'money.view', section: 'money' },
	{ path: '/admin/journal', label: 'journal.nav', permission: 'money.view', section: 'money' },
	{ path: '/admin/factures', label: 'invoice.nav', permission: 'money.view', section: 'money' },
	{ path: '/admin/reservations', label: 'today.nav', permission: 'bookings.manage', section: 'machines' },
	{ path: '/admin/machines', label: 'machines_admin.nav', permission: 'bookings.manage', section: 'machines' },
	{ path: '/admin/horaires', label: 'hours.admin_nav', permission: 'bookings.manage', section: 'machines' },
	{ path: '/admin/formations', label: 'admin.trainings.nav', permission: 'trainings.grant', module: 'machines', section: 'machines' },
	{ path: '/admin/people', label: 'nav.people', permission: 'people.view', section: 'people' },
	{ path: '/admin/roles', label: 'nav.roles', permission: 'roles.manage', section: 'people' },
	{ path: '/admin/settings', label: 'nav.settings', permission: 'place.settings', section: 'people' },
	{ path: '/admin/audit', label: 'nav.audit', permission: 'audit.view', section: 'people' },
	{ path: '/admin/outbox', label: 'nav.outbox', permission: 'outbox.view', section: 'people' }
];

const adminSections = new Set<string>(NAV_SECTIONS.filter((s) => s.admin).map((s) => s.key));

/**
 * The administration pages (under /admin), whatever section of the menu they sit in: those of the
 * administration sections first (money, machines, people), then the café's (orders, menu).
 */
export const ADMIN_NAV = [...NAV.filter((n) => adminSections.has(n.section)), ...NAV.filter((n) => n.path.startsWith('/admin/') && !adminSections.has(n.section))];

/** The entries a person sees in a place, given their permissions and the place's modules. */
export function navFor(permissions: ReadonlySet<string>, isMember: boolean, modules: readonly string[]): NavItem[] {
	return NAV.filter(
		(n) =>
			(!n.permission || permissions.has(n.permission)) &&
			(!n.membersOnly || isMember) &&
			(!n.module || modules.includes(n.module))
	);
}

export interface NavSection {
	key: NavSectionKey;
	label: string;
	admin: boolean;
	items: { href: string; label: string }[];
}

/** The person's entries grouped into the menu's sections (empty sections left out); hrefs carry the place base. */
export function navSectionsFor(items: readonly NavItem[], base: string): NavSection[] {
	return NAV_SECTIONS.map((s) => ({
		key: s.key,
		label: s.label,
		admin: s.admin,
		items: items.filter((n) => n.section === s.key).map((n) => ({ href: n.path === '/' ? base || '/' : base + n.path, label: n.label }))
	})).filter((s) => s.items.length > 0);
}
