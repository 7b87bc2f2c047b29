import type {JSX} from 'preact';
import {useState} from 'preact/hooks';
import {agentConfigFile, agentConfigText} from '@/lib/agent/config-file';
import type {OptionsState} from '@/lib/messaging';
import {agentConfigPath, agentFileCommands, agentInstallCommand, agentRunCommand} from '@/lib/ui/agent-setup';
import {CopyableCommand} from './copyable-command';
import {Icon} from './icon';

export type AgentSetupProps = {
	/** The settings as the form holds them now. */
	state: OptionsState;
};

/**
 * "Run on an always-on machine" (issue 17): the agent's config file made from this account and these settings
 * (the password masked until asked for), and the commands that install and run it. While an agent serves the
 * mailbox, this browser leaves the mailbox to it.
 */
export function AgentSetup({state}: AgentSetupProps): JSX.Element {
	const [reveal, setReveal] = useState(false);
	const [copied, setCopied] = useState(false);
	const {account, settings} = state;
	const text = account ? agentConfigText(agentConfigFile(account, settings), reveal) : undefined;
	return (
		<details class="pmi-section-box pmi-agent-setup">
			<summary>
				<Icon name="chevron" class="pmi-advanced-chevron" />
				<span>Run on an always-on machine</span>
			</summary>
			<p class="pmi-section-intro">
				The agent does what this browser does, on a machine that stays on (a home server, a small VPS): answers reach
				your calendar while this browser is closed. While it runs, this browser leaves the mailbox to it and the
				toolbar popup shows what it did.
			</p>
			<ol class="pmi-agent-steps">
				<li>
					<p>There, with <a href="https://nodejs.org/" target="_blank" rel="noreferrer">Node.js</a> 20 or later:</p>
					<CopyableCommand command={agentInstallCommand} />
				</li>
				<li>
					<p>Make its config file, readable by you alone (the agent refuses one that others can read):</p>
					{agentFileCommands.map(command => <CopyableCommand key={command} command={command} />)}
					<p>and put this in it:</p>
					{text
						? (
							<>
								<pre class="pmi-agent-config" aria-label={`Contents of ${agentConfigPath}`}>{text}</pre>
								<div class="pmi-inline">
									<button type="button" class="pmi-link" aria-pressed={reveal} onClick={() => {
										setReveal(!reveal);
										setCopied(false);
									}}>
										{reveal ? 'Hide the password' : 'Show the password'}
									</button>
									<button type="button" class="pmi-link" disabled={!reveal} title={reveal ? undefined : 'Show the password first: the file needs it'} onClick={() => {
										void navigator.clipboard.writeText(text).then(() => {
											setCopied(true);
										});
									}}>
										{copied ? 'Copied' : 'Copy the file'}
									</button>
								</div>
							</>
						)
						: <p class="pmi-invalid">Enter your address and app password above first.</p>}
				</li>
				<li>
					<p>Run it (the README has a systemd unit and a container for keeping it running):</p>
					<CopyableCommand command={agentRunCommand} />
				</li>
			</ol>
		</details>
	);
}
