/** The relay's version, from its own package.json (the one place it is set), reported by /v1/health, --version and the IMAP ID. */
import packageJson from './package.json' with {type: 'json'};

export const relayVersion: string = packageJson.version;
