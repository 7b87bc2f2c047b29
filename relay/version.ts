/** The relay's version, the package's, reported by /v1/health and in the IMAP ID. */
import packageJson from '../package.json' with {type: 'json'};

export const relayVersion: string = packageJson.version;
