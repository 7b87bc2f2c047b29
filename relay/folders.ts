/**
 * Finding folders by role: Junk and Sent are named differently on every server, so they are looked up by
 * SPECIAL-USE (RFC 6154) first and by common names second (imapflow's list() fills `specialUse` both ways).
 */
import type {ListResponse} from 'imapflow';

/** Folder names in a request that stand for a role rather than a path. */
const roleNames: Record<string, string> = {
	junk: '\\Junk',
	spam: '\\Junk',
	sent: '\\Sent',
};

/** True for a requested name that stands for a role ('Junk', 'Spam', 'Sent'), not a path. */
export function isRoleName(requested: string): boolean {
	return Object.hasOwn(roleNames, requested.toLowerCase());
}

function selectable(folder: ListResponse): boolean {
	return !folder.flags.has('\\Noselect') && !folder.flags.has('\\NonExistent');
}

/** The folder with a special use, preferring the server's SPECIAL-USE over a guess from the name. */
export function folderWithRole(list: readonly ListResponse[], role: string): string | undefined {
	const candidates = list.filter(folder => folder.specialUse === role && selectable(folder));
	return (candidates.find(folder => folder.specialUseSource === 'extension') ?? candidates[0])?.path;
}

/**
 * The real path for a requested folder: INBOX is INBOX; 'Junk' (or 'Spam', 'Sent') means the folder with
 * that role, else one with exactly that path; any other name must exist as is.
 * @returns undefined when there is no such folder
 */
export function resolveFolder(requested: string, list: readonly ListResponse[]): string | undefined {
	if (requested.toUpperCase() === 'INBOX') {
		return 'INBOX';
	}

	const role = isRoleName(requested) ? roleNames[requested.toLowerCase()] : undefined;
	const byRole = role === undefined ? undefined : folderWithRole(list, role);
	return byRole ?? list.find(folder => folder.path === requested && selectable(folder))?.path;
}
