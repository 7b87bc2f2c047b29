/**
 * An independent MIME parser for tests: Python's `email` package with `policy.default`, run by the machine's
 * python3. A message goes in on stdin; the parsed tree, the decoded headers and every defect Python noticed
 * come back as JSON.
 */
import {spawnSync} from 'node:child_process';

/** One MIME entity as Python sees it. */
export type PythonPart = {
	/** `get_content_type()`: lower-case `type/subtype`. */
	type: string;
	/** Content-Type parameters (lower-case names, decoded values), `boundary` left out. */
	params: Record<string, string>;
	/** Content-Transfer-Encoding as written, lower case; null when absent. */
	encoding: string | null;
	disposition: string | null;
	filename: string | null;
	/** Names of Python's defect classes for this entity, e.g. `CloseBoundaryNotFoundDefect`. */
	defects: string[];
	children?: PythonPart[];
	/** Leaves only: `get_payload(decode=True)`, i.e. the exact bytes after transfer decoding, as base64. */
	payload?: string;
};

export type PythonMailbox = {name: string; email: string};

export type PythonMail = {
	subject: string | null;
	from: PythonMailbox[];
	to: PythonMailbox[];
	cc: PythonMailbox[];
	date: string | null;
	messageId: string | null;
	mimeVersion: string | null;
	tree: PythonPart;
};

const script = String.raw`
import base64, json, sys
from email import message_from_bytes, policy

def node(part):
    params = {}
    for key, value in (part.get_params() or [])[1:]:
        if key.lower() != 'boundary':
            params[key.lower()] = str(value)
    encoding = part.get('content-transfer-encoding')
    result = {
        'type': part.get_content_type(),
        'params': params,
        'encoding': str(encoding).lower() if encoding is not None else None,
        'disposition': part.get_content_disposition(),
        'filename': part.get_filename(),
        'defects': [type(defect).__name__ for defect in part.defects],
    }
    if part.is_multipart():
        result['children'] = [node(child) for child in part.iter_parts()]
    else:
        result['payload'] = base64.b64encode(part.get_payload(decode=True) or b'').decode('ascii')
    return result

def mailboxes(message, name):
    header = message[name]
    if header is None:
        return []
    return [{'name': address.display_name, 'email': address.addr_spec} for address in header.addresses]

def text(message, name):
    value = message[name]
    return None if value is None else str(value)

message = message_from_bytes(sys.stdin.buffer.read(), policy=policy.default)
json.dump({
    'subject': text(message, 'subject'),
    'from': mailboxes(message, 'from'),
    'to': mailboxes(message, 'to'),
    'cc': mailboxes(message, 'cc'),
    'date': text(message, 'date'),
    'messageId': text(message, 'message-id'),
    'mimeVersion': text(message, 'mime-version'),
    'tree': node(message),
}, sys.stdout)
`;

/** Parses `raw` with Python's email package (policy.default). Throws when python3 fails. */
export function parseWithPython(raw: string | Uint8Array): PythonMail {
	const run = spawnSync('python3', ['-c', script], {input: raw, maxBuffer: 64 * 1024 * 1024});
	if (run.status !== 0) {
		throw new Error(`python3 failed (${String(run.status)}): ${run.stderr.toString()}`);
	}

	return JSON.parse(run.stdout.toString()) as PythonMail;
}

/** The decoded bytes of a leaf. */
export function pythonPayload(part: PythonPart): Uint8Array {
	return Uint8Array.from(atob(part.payload ?? ''), character => character.codePointAt(0) ?? 0);
}

/** Every defect in the tree, with the entity type it was found on. */
export function pythonDefects(part: PythonPart): string[] {
	return [...part.defects.map(defect => `${part.type}: ${defect}`), ...(part.children ?? []).flatMap(child => pythonDefects(child))];
}
