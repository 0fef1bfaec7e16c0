import { AppError } from '../../server/errors';

/** Every permission Lieu knows. Modules add theirs here; roles are sets of these names. */
export const PERMISSIONS = [
	'place.settings',
	'people.view',
	'people.invite',
	'people.roles',
	'roles.manage',
	'audit.view',
	'outbox.view',
	'cafe.sell',
	'cafe.refund',
	'cafe.menu',
	'machines.book',
	'bookings.manage',
	'trainings.grant',
	'events.manage',
	'money.view',
	'money.manage',
	'cooperative.manage',
	'residents.manage',
	'territory.manage',
	'impact.view'
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const BUILTIN_ROLE_KEYS = ['member', 'resident', 'staff', 'admin'] as const;
export type BuiltinRoleKey = (typeof BUILTIN_ROLE_KEYS)[number];

/** Permissions of the four built-in roles (an admin can create custom roles from the same names). */
export const BUILTIN_ROLES: Record<BuiltinRoleKey, readonly Permission[]> = {
	member: ['machines.book'],
	resident: ['machines.book', 'people.view'],
	staff: ['machines.book', 'people.view', 'cafe.sell', 'cafe.menu', 'bookings.manage', 'events.manage', 'trainings.grant'],
	admin: PERMISSIONS
};

export function isPermission(p: string): p is Permission {
	return (PERMISSIONS as readonly string[]).includes(p);
}

declare const placeScopeBrand: unique symbol;
/**
 * Proof that the current person was checked against this place. Only minted by resolvePlaceScope
 * (after loading the membership); every place-scoped query takes one.
 */
export type PlaceScope = {
	readonly placeId: string;
	readonly slug: string;
	readonly timezone: string;
	readonly userId: string | null;
	readonly roleKey: string | null;
	readonly permissions: ReadonlySet<string>;
	readonly isOperator: boolean;
	readonly [placeScopeBrand]: true;
};

/** Mints a PlaceScope. Call only from the place resolver (server/place-context) or trusted operator code (CLI, seed). */
export function mintScope(s: Omit<PlaceScope, typeof placeScopeBrand>): PlaceScope {
	return s as PlaceScope;
}

export function can(scope: PlaceScope, permission: Permission): boolean {
	return scope.permissions.has(permission);
}

/** Throws unauthenticated (no session) or forbidden unless the scope holds the permission. */
export function requirePermission(scope: PlaceScope, permission: Permission): void {
	if (!scope.userId) throw new AppError('unauthenticated');
	if (!can(scope, permission)) throw new AppError('forbidden', { detail: `missing ${permission}` });
}

/** Throws unless the person is a member of the place (any role). */
export function requireMember(scope: PlaceScope): void {
	if (!scope.userId) throw new AppError('unauthenticated');
	if (!scope.roleKey) throw new AppError('forbidden', { detail: 'not a member' });
}
