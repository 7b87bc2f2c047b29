/**
 * The command line of one `pmi` command, parsed the same way for all: Node's `util.parseArgs` (strict: an unknown
 * or malformed option is an error), `--help`/`-h` prints the usage and exits 0, required options are checked in the
 * order given, and any error is printed as `pmi <command>: <reason>` followed by the usage, with exit status 2.
 */
import {parseArgs, type ParseArgsConfig} from 'node:util';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** What parseArgs returns for these options (strict, positionals allowed or not). */
type Parsed<O extends OptionsConfig, P extends boolean> = ReturnType<typeof parseArgs<{options: O & {help: {type: 'boolean'; short: 'h'}}; strict: true; allowPositionals: P}>>;

export type CommandLine<O extends OptionsConfig, P extends boolean, T extends object> = {
	/** The command's name, as the messages say it (`pmi <name>: …`). */
	name: string;
	usage: string;
	options: O;
	/** Whether bare arguments are taken (otherwise each one is an error). */
	allowPositionals: P;
	/** Options that must be given, checked in this order: the first missing one is named (`--event is required`). */
	required?: ReadonlyArray<keyof O & string>;
	/** Turns the parsed values into the command's options, or says (as text) what is wrong with them. */
	read(parsed: Parsed<O, P>): T | string;
};

/**
 * Parses `argv` for one command. Returns the command's options, or the exit status after printing the usage
 * (0, for `--help`) or the error and the usage (2).
 */
export function parseCommandLine<O extends OptionsConfig, P extends boolean, T extends object>(argv: string[], spec: CommandLine<O, P, T>): T | number {
	const fail = (reason: string): number => {
		console.error(`pmi ${spec.name}: ${reason}\n\n${spec.usage}`);
		return 2;
	};

	let parsed: Parsed<O, P>;
	try {
		parsed = parseArgs({args: argv, options: {...spec.options, help: {type: 'boolean', short: 'h'}}, strict: true, allowPositionals: spec.allowPositionals}) as Parsed<O, P>;
	} catch (error) {
		return fail(error instanceof Error ? error.message : String(error));
	}

	const values = parsed.values as Record<string, unknown>;
	if (values['help']) {
		console.log(spec.usage);
		return 0;
	}

	const missing = spec.required?.find(name => !values[name]);
	if (missing) {
		return fail(`--${missing} is required`);
	}

	const read = spec.read(parsed);
	return typeof read === 'string' ? fail(read) : read;
}
