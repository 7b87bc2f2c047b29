/** What every command gets from the command line's shell: its environment and where its lines go. */
export type CommandIo = {
	env: NodeJS.ProcessEnv;
	/** A line for the user (stdout). Never used by `native`, whose stdout is the browser's channel. */
	out(line: string): void;
	/** A warning or error line (stderr). */
	err(line: string): void;
};

/** A command: takes the arguments after its name; resolves to the exit code, or undefined while it keeps running (serve, native). */
export type Command = (argv: string[], io: CommandIo) => Promise<number | undefined>;
