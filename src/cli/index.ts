// `lieu`: the operators' command line. Entry point: bin/lieu.mjs (which registers tsx and calls main()).
// Exit codes: 0 ok, 1 operational error (message on stderr), 2 usage error (with the usage text).
import { parseArgs } from 'node:util';
import { COMMANDS, findCommand, type CommandSpec } from './spec';
import { cliLocale, cliTranslator, type T } from './messages';

export interface CliIO {
	stdout: (text: string) => void;
	stderr: (text: string) => void;
	/** The process environment: only the language (LC_ALL, LC_MESSAGES, LANG) and LIEU_DEBUG are read here. */
	vars: Record<string, string | undefined>;
}

export type Values = Record<string, string | boolean | undefined>;

export interface Context {
	io: CliIO;
	t: T;
	/** Prints one line (or several) on stdout. */
	out: (line?: string) => void;
}

/** A mistake in the command line itself: exit 2 with the usage text. */
export class UsageError extends Error {
	constructor(
		message: string,
		readonly command?: CommandSpec
	) {
		super(message);
		this.name = 'UsageError';
	}
}

/** An operational refusal already phrased for the operator: exit with this code, message on stderr. */
export class CliExit extends Error {
	constructor(
		message: string,
		readonly exitCode: 1 | 2 = 1
	) {
		super(message);
		this.name = 'CliExit';
	}
}

const pad = (s: string, n: number) => s + ' '.repeat(Math.max(1, n - s.length));

/** The general usage text. */
export function usage(t: T): string {
	const lines = [t('usage.title'), '', t('usage.usage'), '', t('usage.commands')];
	for (const c of COMMANDS) lines.push(`  ${pad(c.words.join(' '), 16)}${t(c.summary)}`);
	lines.push('', t('usage.db'), t('usage.more'));
	return lines.join('\n') + '\n';
}

/** The usage text of one command. */
export function commandUsage(t: T, c: CommandSpec): string {
	const opts = Object.entries(c.options).map(([name, o]) => {
		const flag = o.type === 'string' ? `--${name} ${o.arg ?? 'VALUE'}` : `--${name}`;
		return { flag, text: t(o.help), required: o.required };
	});
	const synopsis = ['lieu', ...c.words, ...opts.map((o) => (o.required ? o.flag : `[${o.flag}]`))].join(' ');
	const lines = [t(c.summary), '', synopsis];
	opts.push({ flag: '--help', text: t('opt.help'), required: false });
	lines.push('', t('usage.options'));
	for (const o of opts) lines.push(`  ${pad(o.flag, 24)}${o.text}`);
	lines.push('', t('usage.example'), `  ${c.example}`);
	return lines.join('\n') + '\n';
}

function parse(c: CommandSpec, args: string[]): Values {
	const options: Record<string, { type: 'string' | 'boolean' }> = { help: { type: 'boolean' } };
	for (const [name, o] of Object.entries(c.options)) options[name] = { type: o.type };
	let values: Values;
	try {
		({ values } = parseArgs({ args, options, strict: true, allowPositionals: false }) as { values: Values });
	} catch (e) {
		throw new UsageError((e as Error).message, c);
	}
	return values;
}

function requireOptions(t: T, c: CommandSpec, values: Values) {
	for (const [name, o] of Object.entries(c.options)) {
		const v = values[name];
		if (o.required && (v === undefined || (typeof v === 'string' && v.trim() === '')))
			throw new UsageError(t('err.missing_option', { option: name }), c);
	}
}

/** Runs the command line; returns the exit code (never throws, never calls process.exit). */
export async function main(argv: string[], io: CliIO): Promise<number> {
	const t = cliTranslator(cliLocale(io.vars));
	const debug = io.vars.LIEU_DEBUG === '1' || io.vars.LIEU_DEBUG === 'true';
	const ctx: Context = { io, t, out: (line = '') => io.stdout(line + '\n') };
	let command: CommandSpec | undefined;
	try {
		if (argv.length === 0) throw new UsageError('');
		if (argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
			const sub = findCommand(argv.slice(1));
			io.stdout(sub ? commandUsage(t, sub) : usage(t));
			return 0;
		}
		command = findCommand(argv);
		if (!command) {
			// `lieu place --help`: the commands that start with "place".
			const group = COMMANDS.filter((c) => c.words[0] === argv[0]);
			if (group.length && argv.slice(1).every((a) => a === '--help' || a === '-h') && argv.length > 1) {
				io.stdout(group.map((c) => commandUsage(t, c)).join('\n'));
				return 0;
			}
			const word = argv.slice(0, group.length ? 2 : 1).join(' ');
			throw new UsageError(t('err.unknown_command', { command: word }));
		}
		const values = parse(command, argv.slice(command.words.length));
		if (values.help) {
			io.stdout(commandUsage(t, command));
			return 0;
		}
		requireOptions(t, command, values);
		const { run } = await import('./commands');
		return await run(ctx, command, values);
	} catch (e) {
		if (e instanceof UsageError) {
			if (e.message) io.stderr(t('err.usage', { message: e.message }) + '\n\n');
			io.stderr(e.command ? commandUsage(t, e.command) : usage(t));
			return 2;
		}
		if (e instanceof CliExit) {
			io.stderr(e.message + '\n');
			return e.exitCode;
		}
		const { describeError } = await import('./errors');
		io.stderr(describeError(t, e) + '\n');
		if (debug) io.stderr(`${(e as Error)?.stack ?? String(e)}\n${(e as Error)?.cause ? `cause: ${((e as Error).cause as Error)?.stack ?? String((e as Error).cause)}\n` : ''}`);
		return 1;
	}
}
