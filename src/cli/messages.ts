// Messages of the `lieu` command line (French first, English second). Error and field messages come from
// the app's catalogue (src/lib/i18n); this file holds what only the command line says.
import { defineMessages } from '../lib/i18n/define';
import { translate as appTranslate, type Locale } from '../lib/i18n/index';

const messages = defineMessages(
	{
		'usage.title': 'lieu — la ligne de commande des opérateurs de Lieu',
		'usage.usage': 'Utilisation : lieu <commande> [options]',
		'usage.commands': 'Commandes :',
		'usage.db': 'Base de données : DATABASE_URL si elle est définie, sinon le dossier PGlite LIEU_DATA_DIR (./data par défaut).',
		'usage.more': 'Aide d’une commande : lieu <commande> --help. Référence : docs/cli.md',
		'usage.options': 'Options :',
		'usage.example': 'Exemple :',
		'cmd.place_create': 'Crée un lieu (avec ses rôles).',
		'cmd.user_create': 'Crée un compte ; avec --place, l’ajoute au lieu avec un rôle.',
		'cmd.member_add': 'Ajoute un compte existant à un lieu (ou change son rôle).',
		'cmd.token_create': 'Crée un jeton d’API personnel (affiché seul sur la dernière ligne).',
		'cmd.demo': 'Charge le lieu de démonstration La Tréso et affiche ses identifiants.',
		'cmd.backup': 'Sauvegarde toute la base dans un fichier (JSON compressé, indépendant du moteur).',
		'cmd.restore': 'Remplace toute la base par le contenu d’une sauvegarde.',
		'opt.slug': 'identifiant du lieu dans les adresses (ex. la-fabrique)',
		'opt.place_name': 'nom du lieu',
		'opt.timezone': 'fuseau horaire IANA (Europe/Paris par défaut)',
		'opt.address': 'adresse postale',
		'opt.email': 'adresse e-mail du compte',
		'opt.password': 'mot de passe (10 caractères au moins, pas un mot de passe courant)',
		'opt.user_name': 'nom affiché',
		'opt.place': 'identifiant (slug) du lieu',
		'opt.role': 'rôle : member, resident, staff, admin ou un rôle du lieu (member par défaut)',
		'opt.operator': 'opérateur de l’instance (peut créer des lieux)',
		'opt.token_name': 'nom du jeton (« CLI » par défaut)',
		'opt.out': 'fichier à écrire (ex. lieu-2026-01-31.json.gz)',
		'opt.in': 'fichier de sauvegarde à lire',
		'opt.yes': 'confirme le remplacement d’une base qui contient déjà des données',
		'opt.help': 'affiche cette aide',
		'err.usage': 'Erreur : {message}',
		'err.unknown_command': 'commande inconnue « {command} ».',
		'err.missing_option': 'l’option --{option} est obligatoire.',
		'err.role_without_place': '--role demande --place.',
		'err.field': '{flag} : {message}',
		'err.locked': 'Le serveur Lieu utilise ce dossier de données ({dir}) : arrêtez-le, ou lancez la commande sur DATABASE_URL.',
		'err.config': 'Configuration non valide : {message}',
		'err.user_not_found': 'Aucun compte avec l’adresse {email}.',
		'err.place_not_found': 'Aucun lieu avec l’identifiant « {slug} ».',
		'err.role_not_found': 'Le lieu « {slug} » n’a pas de rôle « {role} ».',
		'err.email_taken': 'Un compte existe déjà avec l’adresse {email}. Pour l’ajouter à un lieu : lieu member add --email {email} --place <lieu> --role <rôle>.',
		'err.file_not_found': 'Fichier introuvable : {file}',
		'err.debug': '(LIEU_DEBUG=1 pour le détail technique)',
		'ok.place_created': 'Lieu créé : {slug} (id {id}), adresse /{slug}',
		'ok.user_created': 'Compte créé : {email} (id {id})',
		'ok.member_added': '{email} est {role} du lieu {slug}.',
		'ok.token_created': 'Jeton « {name} » créé pour {email}. Il ne sera plus affiché : copiez-le maintenant.',
		'ok.demo_created': 'Lieu de démonstration créé : {path} ({url})',
		'ok.demo_exists': 'Le lieu de démonstration existe déjà : {path} ({url})',
		'ok.demo_logins': 'Identifiants de démonstration :',
		'ok.col_email': 'e-mail',
		'ok.col_role': 'rôle',
		'ok.col_password': 'mot de passe',
		'ok.backup_written': 'Sauvegarde écrite : {file} ({tables} tables, {rows} lignes, {size}).',
		'ok.restored': 'Sauvegarde du {date} restaurée : {tables} tables, {rows} lignes.',
		'restore.not_empty': 'La base contient déjà des données : la restauration les remplacera toutes. Relancez avec --yes pour confirmer.',
		'backup.not_a_backup': 'Ce fichier n’est pas une sauvegarde Lieu lisible ({file}).',
		'backup.unsupported_version': 'Version de sauvegarde non prise en charge ({version}).',
		'backup.newer_migrations': 'Cette sauvegarde vient d’une version plus récente de Lieu (migrations inconnues : {migrations}). Mettez Lieu à jour avant de la restaurer.',
		'backup.unknown_migrations': 'Cette sauvegarde vient d’une autre version de Lieu (migrations inconnues : {migrations}).',
		'backup.unknown_table': 'La table « {table} » de la sauvegarde n’existe pas dans cette version de Lieu.',
		'backup.unknown_column': 'La colonne « {column} » de la table « {table} » n’existe plus dans cette version de Lieu.',
		'backup.replica_denied': 'La restauration doit désactiver les déclencheurs (session_replication_role = replica) : le compte PostgreSQL de DATABASE_URL n’en a pas le droit. Restaurez avec un compte superutilisateur (ou propriétaire avec ce droit).'
	},
	{
		'usage.title': 'lieu — the operators’ command line of Lieu',
		'usage.usage': 'Usage: lieu <command> [options]',
		'usage.commands': 'Commands:',
		'usage.db': 'Database: DATABASE_URL when set, else the PGlite folder LIEU_DATA_DIR (./data by default).',
		'usage.more': 'Help on a command: lieu <command> --help. Reference: docs/cli.md',
		'usage.options': 'Options:',
		'usage.example': 'Example:',
		'cmd.place_create': 'Creates a place (with its roles).',
		'cmd.user_create': 'Creates an account; with --place, adds it to the place with a role.',
		'cmd.member_add': 'Adds an existing account to a place (or changes its role).',
		'cmd.token_create': 'Creates a personal API token (printed alone on the last line).',
		'cmd.demo': 'Loads the La Tréso demo place and prints its logins.',
		'cmd.backup': 'Backs the whole database up into a file (gzip’d JSON, engine-independent).',
		'cmd.restore': 'Replaces the whole database with the content of a backup.',
		'opt.slug': 'identifier of the place in addresses (e.g. la-fabrique)',
		'opt.place_name': 'name of the place',
		'opt.timezone': 'IANA time zone (Europe/Paris by default)',
		'opt.address': 'postal address',
		'opt.email': 'email address of the account',
		'opt.password': 'password (at least 10 characters, not a common password)',
		'opt.user_name': 'display name',
		'opt.place': 'identifier (slug) of the place',
		'opt.role': 'role: member, resident, staff, admin or a role of the place (member by default)',
		'opt.operator': 'instance operator (may create places)',
		'opt.token_name': 'name of the token (“CLI” by default)',
		'opt.out': 'file to write (e.g. lieu-2026-01-31.json.gz)',
		'opt.in': 'backup file to read',
		'opt.yes': 'confirms replacing a database that already holds data',
		'opt.help': 'shows this help',
		'err.usage': 'Error: {message}',
		'err.unknown_command': 'unknown command “{command}”.',
		'err.missing_option': 'option --{option} is required.',
		'err.role_without_place': '--role needs --place.',
		'err.field': '{flag}: {message}',
		'err.locked': 'The Lieu server is running on this data folder ({dir}): stop it, or run the CLI against DATABASE_URL.',
		'err.config': 'Invalid configuration: {message}',
		'err.user_not_found': 'No account with the address {email}.',
		'err.place_not_found': 'No place with the identifier “{slug}”.',
		'err.role_not_found': 'The place “{slug}” has no role “{role}”.',
		'err.email_taken': 'An account already exists with the address {email}. To add it to a place: lieu member add --email {email} --place <place> --role <role>.',
		'err.file_not_found': 'File not found: {file}',
		'err.debug': '(LIEU_DEBUG=1 for the technical detail)',
		'ok.place_created': 'Place created: {slug} (id {id}), address /{slug}',
		'ok.user_created': 'Account created: {email} (id {id})',
		'ok.member_added': '{email} is {role} of the place {slug}.',
		'ok.token_created': 'Token “{name}” created for {email}. It will not be shown again: copy it now.',
		'ok.demo_created': 'Demo place created: {path} ({url})',
		'ok.demo_exists': 'The demo place already exists: {path} ({url})',
		'ok.demo_logins': 'Demo logins:',
		'ok.col_email': 'email',
		'ok.col_role': 'role',
		'ok.col_password': 'password',
		'ok.backup_written': 'Backup written: {file} ({tables} tables, {rows} rows, {size}).',
		'ok.restored': 'Backup of {date} restored: {tables} tables, {rows} rows.',
		'restore.not_empty': 'The database already holds data: restoring replaces all of it. Run again with --yes to confirm.',
		'backup.not_a_backup': 'This file is not a readable Lieu backup ({file}).',
		'backup.unsupported_version': 'Unsupported backup version ({version}).',
		'backup.newer_migrations': 'This backup comes from a newer version of Lieu (unknown migrations: {migrations}). Update Lieu before restoring it.',
		'backup.unknown_migrations': 'This backup comes from another version of Lieu (unknown migrations: {migrations}).',
		'backup.unknown_table': 'The table “{table}” of the backup does not exist in this version of Lieu.',
		'backup.unknown_column': 'The column “{column}” of the table “{table}” no longer exists in this version of Lieu.',
		'backup.replica_denied': 'Restoring must turn triggers off (session_replication_role = replica): the PostgreSQL account of DATABASE_URL is not allowed to. Restore with a superuser account (or an owner granted that right).'
	}
);

export type CliKey = keyof typeof messages.fr;
export type T = (key: CliKey | (string & {}), params?: Record<string, string | number>) => string;

/** The command line's language: English when LC_ALL / LC_MESSAGES / LANG starts with "en", else French. */
export function cliLocale(vars: Record<string, string | undefined>): Locale {
	const tag = vars.LC_ALL || vars.LC_MESSAGES || vars.LANG || '';
	return tag.toLowerCase().startsWith('en') ? 'en' : 'fr';
}

/** Translator of the command line: its own messages first, then the app's catalogue (error.*, field.*). */
export function cliTranslator(locale: Locale): T {
	return (key, params) => {
		const own = (messages[locale] as Record<string, string>)[key];
		if (own === undefined) return appTranslate(locale, key, params);
		return params ? own.replace(/\{(\w+)\}/g, (m, n) => (n in params ? String(params[n]) : m)) : own;
	};
}
