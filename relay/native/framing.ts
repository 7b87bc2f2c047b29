/**
 * Native messaging's stdio framing: each message is a 32-bit length in the machine's own byte order, then that
 * many bytes of UTF-8 JSON (the same in Chrome and Firefox). Hand-written because it is these dozen lines and
 * no maintained package does only this.
 */
import os from 'node:os';

const littleEndian = os.endianness() === 'LE';

/** Frames one message for the browser. */
export function encodeMessage(message: unknown): Buffer {
	const json = Buffer.from(JSON.stringify(message), 'utf8');
	const frame = Buffer.alloc(4 + json.length);
	if (littleEndian) {
		frame.writeUInt32LE(json.length, 0);
	} else {
		frame.writeUInt32BE(json.length, 0);
	}

	json.copy(frame, 4);
	return frame;
}

/** A framing error: the stream cannot be trusted after it, so the host stops. */
export class FramingError extends Error {
	override name = 'FramingError';
}

/**
 * Splits the bytes arriving on stdin into messages, however the pipe cuts them.
 * @param maxBytes largest message accepted; a longer length prefix is a FramingError (nothing is buffered for it)
 */
export class MessageDecoder {
	readonly #maxBytes: number;
	#buffered: Buffer = Buffer.alloc(0);

	constructor(maxBytes: number) {
		this.#maxBytes = maxBytes;
	}

	/**
	 * Adds bytes and returns the messages they complete, parsed.
	 * @throws {FramingError} on a message over the limit or one that is not JSON
	 */
	push(bytes: Buffer): unknown[] {
		this.#buffered = this.#buffered.length === 0 ? bytes : Buffer.concat([this.#buffered, bytes]);
		const messages: unknown[] = [];
		while (this.#buffered.length >= 4) {
			const length = littleEndian ? this.#buffered.readUInt32LE(0) : this.#buffered.readUInt32BE(0);
			if (length > this.#maxBytes) {
				throw new FramingError(`A message of ${length} bytes is over the ${this.#maxBytes}-byte limit`);
			}

			if (this.#buffered.length < 4 + length) {
				break;
			}

			const json = this.#buffered.subarray(4, 4 + length).toString('utf8');
			this.#buffered = this.#buffered.subarray(4 + length);
			try {
				messages.push(JSON.parse(json) as unknown);
			} catch {
				throw new FramingError('A message is not JSON');
			}
		}

		return messages;
	}

	/** Bytes of an unfinished message still waiting. */
	get pending(): number {
		return this.#buffered.length;
	}
}
