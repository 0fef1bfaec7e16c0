import type { Permission } from './places/policy';

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
	group: 'main' | 'admin';
}

/** Navigation of a place. Each module adds its entries when it ships; unbuilt modules never show. */
export const NAV: NavItem[] = [
	{ path: '/', label: 'nav.home', group: 'main' },
	{ path: '/agenda', label: 'events.nav', module: 'events', group: 'main' },
	{ path: '/machines', label: 'resources.nav', module: 'machines', group: 'main' },
	{ path: '/formations', label: 'trainings.nav', module: 'machines', group: 'main' },
	{ path: '/habilitations', label: 'qualifications.nav', membersOnly: true, module: 'machines', group: 'main' },
	{ path: '/horaires', label: 'hours.nav', group: 'main' },
	{ path: '/residents', label: 'residents.nav', module: 'workshop', group: 'main' },
	{ path: '/partenaires', label: 'partners.nav', module: 'partners', group: 'main' },
	{ path: '/reservations', label: 'booking.nav', membersOnly: true, module: 'machines', group: 'main' },
	{ path: '/reservations/presence', label: 'presence.nav', membersOnly: true, module: 'machines', group: 'main' },
	{ path: '/porte-monnaie', label: 'wallet.nav', membersOnly: true, group: 'main' },
	{ path: '/caisse', label: 'till.nav', permission: 'cafe.sell', group: 'main' },
	{ path: '/admin/finances', label: 'nav.finances', permission: 'money.view', group: 'admin' },
	{ path: '/admin/journal', label: 'journal.nav', permission: 'money.view', group: 'admin' },
	{ path: '/admin/factures', label: 'invoice.nav', permission: 'money.view', group: 'admin' },
	{ path: '/admin/commandes', label: 'admin.orders.nav', permission: 'cafe.sell', group: 'admin' },
	{ path: '/admin/reservations', label: 'today.nav', permission: 'bookings.manage', group: 'admin' },
	{ path: '/admin/machines', label: 'machines_admin.nav', permission: 'bookings.manage', group: 'admin' },
	{ path: '/admin/horaires', label: 'hours.admin_nav', permission: 'bookings.manage', group: 'admin' },
	{ path: '/admin/catalogue', label: 'catalogue.nav', permission: 'cafe.menu', group: 'admin' },
	{ path: '/admin/formations', label: 'admin.trainings.nav', permission: 'trainings.grant', module: 'machines', group: 'admin' },
	{ path: '/admin/people', label: 'nav.people', permission: 'people.view', group: 'admin' },
	{ path: '/admin/roles', label: 'nav.roles', permission: 'roles.manage', group: 'admin' },
	{ path: '/admin/settings', label: 'nav.settings', permission: 'place.settings', group: 'admin' },
	{ path: '/admin/audit', label: 'nav.audit', permission: 'audit.view', group: 'admin' },
	{ path: '/admin/outbox', label: 'nav.outbox', permission: 'outbox.view', group: 'admin' },
];

/** The entries a person sees in a place, given their permissions and the place's modules. */
export function navFor(permissions: ReadonlySet<string>, isMember: boolean, modules: readonly string[]): NavItem[] {
	return NAV.filter(
		(n) =>
			(!n.permission || permissions.has(n.permission)) &&
			(!n.membersOnly || isMember) &&
			(!n.module || modules.includes(n.module))
	);
}
