/**
 * A loopback TCP proxy that can cut its connections on purpose: put it between the relay and Dovecot and drop
 * the IMAP connection in the middle of a server answer (a reply's calendar part half sent), as a flaky network
 * or a restarted server does. Like counting-proxy.ts, but the bytes go through by hand so that the cut can land
 * at an exact byte.
 */
import net from 'node:net';

export type CutPlan = {
	/**
	 * Start counting only once the server has sent this text (e.g. `BEGIN:VCALENDAR`: a calendar part is being
	 * downloaded). Without it, counting starts with the next byte the server sends.
	 */
	marker?: string;
	/** Bytes let through after the marker (or after arming) before the cut; 0 cuts right after the marker. */
	afterBytes?: number;
	/** How many connections to cut this way, one after another; 1 when missing. */
	times?: number;
};

export type CuttingProxy = {
	host: string;
	port: number;
	/** Arms a cut: the next connection(s) whose server stream reaches the point are closed there, both ways. */
	cut(plan: CutPlan): void;
	/** Cuts still armed. */
	pending(): number;
	/** An outage: every open connection is dropped and new ones are closed at once, until `up()`. */
	down(): void;
	up(): void;
	/** Connections cut so far, and connections accepted so far. */
	stats(): {cuts: number; connections: number};
	close(): Promise<void>;
};

type Armed = {marker: string | undefined; afterBytes: number; times: number};

/** Starts a proxy on 127.0.0.1 (a free port) in front of `target`. */
export async function startCuttingProxy(target: {host: string; port: number}): Promise<CuttingProxy> {
	const sockets = new Set<net.Socket>();
	let armed: Armed | undefined;
	let cuts = 0;
	let connections = 0;
	let refusing = false;
	const server = net.createServer(client => {
		connections++;
		if (refusing) {
			client.destroy();
			return;
		}

		const upstream = net.connect(target.port, target.host);
		for (const socket of [client, upstream]) {
			sockets.add(socket);
			socket.on('close', () => sockets.delete(socket));
			socket.on('error', () => {
				client.destroy();
				upstream.destroy();
			});
		}

		// Per connection: the tail of what the server sent (to find a marker split across chunks), and how many
		// bytes are left before the cut once the marker was seen.
		let tail = '';
		let remaining: number | undefined;
		let cut = false;
		client.pipe(upstream);
		upstream.on('data', (chunk: Buffer) => {
			if (cut) {
				return;
			}

			let cutAt: number | undefined;
			if (armed && remaining === undefined) {
				if (armed.marker === undefined) {
					remaining = armed.afterBytes;
				} else {
					// Latin-1 keeps one character per byte, so string offsets are byte offsets.
					const text = tail + chunk.toString('latin1');
					const found = text.indexOf(armed.marker);
					if (found === -1) {
						tail = armed.marker.length > 1 ? text.slice(1 - armed.marker.length) : '';
					} else {
						const markerEnd = found + armed.marker.length - tail.length;
						remaining = armed.afterBytes + markerEnd;
					}
				}
			}

			if (armed && remaining !== undefined) {
				if (remaining <= chunk.length) {
					cutAt = remaining;
				} else {
					remaining -= chunk.length;
				}
			}

			if (cutAt === undefined || !armed) {
				client.write(chunk);
				return;
			}

			cut = true;
			cuts++;
			armed.times--;
			if (armed.times <= 0) {
				armed = undefined;
			}

			upstream.destroy();
			client.end(chunk.subarray(0, cutAt), () => {
				client.destroy();
			});
		});
		upstream.on('end', () => {
			client.end();
		});
	});
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	const {port} = server.address() as net.AddressInfo;
	return {
		host: '127.0.0.1',
		port,
		cut(plan) {
			armed = {marker: plan.marker, afterBytes: plan.afterBytes ?? 0, times: plan.times ?? 1};
		},
		pending: () => armed?.times ?? 0,
		down() {
			refusing = true;
			for (const socket of sockets) {
				socket.destroy();
			}
		},
		up() {
			refusing = false;
		},
		stats: () => ({cuts, connections}),
		async close() {
			for (const socket of sockets) {
				socket.destroy();
			}

			await new Promise<void>(resolve => {
				server.close(() => {
					resolve();
				});
			});
		},
	};
}
