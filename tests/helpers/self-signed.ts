/** A self-signed certificate for one name, made with openssl (scripts/debian-packages.txt) for each run. */
import {execFile} from 'node:child_process';
import {mkdtemp, readFile, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';

const run = promisify(execFile);

export async function selfSignedCertificate(hostname: string): Promise<{key: Buffer; cert: Buffer}> {
	const dir = await mkdtemp(path.join(os.tmpdir(), 'pmi-tls-'));
	try {
		await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2',
			'-subj', `/CN=${hostname}`, '-addext', `subjectAltName=DNS:${hostname}`,
			'-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')]);
		const [key, cert] = await Promise.all([readFile(path.join(dir, 'key.pem')), readFile(path.join(dir, 'cert.pem'))]);
		return {key, cert};
	} finally {
		await rm(dir, {recursive: true, force: true});
	}
}
