/** The options page's "Run on an always-on machine" (issue 17): where the file goes and the commands, as text. */
import {relayInstallCommands} from './relay-setup.ts';

/** Where the README's systemd unit and the commands below expect the file. */
export const agentConfigPath = '~/.config/purelymail-invites/agent.json';

/** Install the relay package (the agent is its `agent` command); the same first step as the relay's. */
export const agentInstallCommand = relayInstallCommands[0];

/** A file readable by its owner alone: the agent refuses any other, since it holds the app password. */
export const agentFileCommands = ['mkdir -p ~/.config/purelymail-invites', `install -m 600 /dev/null ${agentConfigPath}`] as const;

export const agentRunCommand = `purelymail-invites-relay agent --config ${agentConfigPath}`;
