/**
 * `pmi`: the project's command line (`npm run -s pmi -- <command> ...`).
 * Each command is one module in ./commands exporting `run(argv): Promise<number>` (the exit code).
 */
const commands = {
	'apply-reply': async () => import('./commands/apply-reply.ts'),
	invite: async () => import('./commands/invite.ts'),
	process: async () => import('./commands/process.ts'),
	'read-mail': async () => import('./commands/read-mail.ts'),
	respond: async () => import('./commands/respond.ts'),
} as const satisfies Record<string, () => Promise<{run(argv: string[]): Promise<number>}>>;

type CommandName = keyof typeof commands;

function isCommandName(name: string | undefined): name is CommandName {
	return name !== undefined && Object.hasOwn(commands, name);
}

async function main(argv: string[]): Promise<number> {
	const [name, ...rest] = argv;
	if (!isCommandName(name)) {
		console.error(`usage: pmi <${Object.keys(commands).join('|')}> [options]`);
		return 2;
	}

	const command = await commands[name]();
	return command.run(rest);
}

export {};

process.exitCode = await main(process.argv.slice(2));
