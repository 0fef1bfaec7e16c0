// The commands of `lieu` and their options (kept free of heavy imports: `lieu --help` must start fast).
import type { CliKey } from './messages';

export interface OptionSpec {
	type: 'string' | 'boolean';
	help: CliKey;
	required?: boolean;
	/** Placeholder shown in the usage text. */
	arg?: string;
}

export interface CommandSpec {
	/** Words of the command, e.g. ['place', 'create']. */
	words: string[];
	summary: CliKey;
	options: Record<string, OptionSpec>;
	example: string;
}

export const COMMANDS: CommandSpec[] = [
	{
		words: ['place', 'create'],
		summary: 'cmd.place_create',
		options: {
			slug: { type: 'string', help: 'opt.slug', required: true, arg: 'SLUG' },
			name: { type: 'string', help: 'opt.place_name', required: true, arg: 'NAME' },
			timezone: { type: 'string', help: 'opt.timezone', arg: 'TZ' },
			address: { type: 'string', help: 'opt.address', arg: 'ADDRESS' }
		},
		example: 'lieu place create --slug la-fabrique --name "La Fabrique" --address "1 rue de la Paix, Paris"'
	},
	{
		words: ['user', 'create'],
		summary: 'cmd.user_create',
		options: {
			email: { type: 'string', help: 'opt.email', required: true, arg: 'EMAIL' },
			password: { type: 'string', help: 'opt.password', required: true, arg: 'PASSWORD' },
			name: { type: 'string', help: 'opt.user_name', arg: 'NAME' },
			place: { type: 'string', help: 'opt.place', arg: 'SLUG' },
			role: { type: 'string', help: 'opt.role', arg: 'ROLE' },
			operator: { type: 'boolean', help: 'opt.operator' }
		},
		example: 'lieu user create --email alice@example.org --password "un-long-mot-de-passe" --name Alice --place la-fabrique --role admin'
	},
	{
		words: ['member', 'add'],
		summary: 'cmd.member_add',
		options: {
			email: { type: 'string', help: 'opt.email', required: true, arg: 'EMAIL' },
			place: { type: 'string', help: 'opt.place', required: true, arg: 'SLUG' },
			role: { type: 'string', help: 'opt.role', arg: 'ROLE' }
		},
		example: 'lieu member add --email bob@example.org --place la-fabrique --role staff'
	},
	{
		words: ['token', 'create'],
		summary: 'cmd.token_create',
		options: {
			email: { type: 'string', help: 'opt.email', required: true, arg: 'EMAIL' },
			name: { type: 'string', help: 'opt.token_name', arg: 'NAME' }
		},
		example: 'TOKEN=$(lieu token create --email alice@example.org --name scripts | tail -n 1)'
	},
	{ words: ['demo'], summary: 'cmd.demo', options: {}, example: 'lieu demo' },
	{
		words: ['backup'],
		summary: 'cmd.backup',
		options: { out: { type: 'string', help: 'opt.out', required: true, arg: 'FILE' } },
		example: 'lieu backup --out backups/lieu-$(date +%F).json.gz'
	},
	{
		words: ['restore'],
		summary: 'cmd.restore',
		options: {
			in: { type: 'string', help: 'opt.in', required: true, arg: 'FILE' },
			yes: { type: 'boolean', help: 'opt.yes' }
		},
		example: 'lieu restore --in backups/lieu-2026-01-31.json.gz --yes'
	},
	{
		words: ['ledger', 'verify'],
		summary: 'cmd.ledger_verify',
		options: { place: { type: 'string', help: 'opt.place', required: true, arg: 'SLUG' } },
		example: 'lieu ledger verify --place la-fabrique'
	},
	{
		words: ['ledger', 'export'],
		summary: 'cmd.ledger_export',
		options: {
			place: { type: 'string', help: 'opt.place', required: true, arg: 'SLUG' },
			closure: { type: 'string', help: 'opt.closure', arg: 'NUMBER' },
			kind: { type: 'string', help: 'opt.closure_kind', arg: 'day|month|year' },
			period: { type: 'string', help: 'opt.period', arg: 'YYYY-MM|YYYY' },
			out: { type: 'string', help: 'opt.archive_out', required: true, arg: 'FILE' }
		},
		example: 'lieu ledger export --place la-fabrique --period 2026-03 --out la-fabrique-2026-03.zip'
	},
	{
		words: ['jobs', 'run'],
		summary: 'cmd.jobs_run',
		options: {},
		example: 'lieu jobs run'
	}
];

/** The command whose words start argv, if any. */
export function findCommand(argv: string[]): CommandSpec | undefined {
	return COMMANDS.find((c) => c.words.every((w, i) => argv[i] === w));
}
