/** One message's identity for exactly-once bookkeeping: folder, UIDVALIDITY and UID (RFC 9051 §2.3.1.1). */
export function messageKey(folder: string, uidValidity: string, uid: number): string {
	return `${folder}/${uidValidity}/${uid}`;
}
