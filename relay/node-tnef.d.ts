// node-tnef 1.4.0 ships no types. Only what relay/tnef.ts uses, as its dist/commands/parse.js defines it.
declare module 'node-tnef' {
	/** One MAPI property of the message (attMAPIProps). Named properties (ids 0x8000 and up) keep only that id, not their LID. */
	export type TnefAttribute = {Type: number; Name: number; Data: number[] | undefined; GUID: number};
	export type TnefAttachment = {Title?: string; Data?: number[]};
	export type TnefResult = {Attachments: TnefAttachment[]; Attributes?: TnefAttribute[]; Body?: number[]; BodyHTML?: number[]};
	/** Calls back synchronously: (false, result) when the signature matched, (true, null or the error) otherwise. */
	export function parseBuffer(data: Uint8Array, callback: (failed: boolean, result: TnefResult | Error | null) => void): void;
}
