/**
 * A loopback TCP proxy that counts the bytes crossing it, each way: put it between a client and a mail server
 * to measure what a protocol exchange really costs on the wire (used by the relay tests and bench/relay-poll).
 */
import net from 'node:net';

export type ByteCounts = {
	/** Bytes the server sent (what the client downloaded). */
	fromServer: number;
	/** Bytes the client sent. */
	toServer: number;
	/**
	 * Lines the client sent: for IMAP, one per command (a literal's line counts too; the relay sends none when it
	 * polls), so the client's round trips to the server.
	 */
	clientLines: number;
};

export type CountingProxy = {
	host: string;
	port: number;
	/** Counts since start or the last reset. */
	counts(): ByteCounts;
	reset(): void;
	close(): Promise<void>;
};

/** Starts a proxy on 127.0.0.1 (a free port) in front of `target`. */
export async function startCountingProxy(target: {host: string; port: number}): Promise<CountingProxy> {
	const counts: ByteCounts = {fromServer: 0, toServer: 0, clientLines: 0};
	const sockets = new Set<net.Socket>();
	const server = net.createServer(client => {
		const upstream = net.connect(target.port, target.host);
		for (const socket of [client, upstream]) {
			sockets.add(socket);
			socket.on('close', () => sockets.delete(socket));
			socket.on('error', () => {
				client.destroy();
				upstream.destroy();
			});
		}

		client.on('data', (chunk: Buffer) => {
			counts.toServer += chunk.length;
			for (const byte of chunk) {
				if (byte === 0x0A) {
					counts.clientLines++;
				}
			}
		});
		upstream.on('data', (chunk: Buffer) => {
			counts.fromServer += chunk.length;
		});
		client.pipe(upstream);
		upstream.pipe(client);
	});
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	const {port} = server.address() as net.AddressInfo;
	return {
		host: '127.0.0.1',
		port,
		counts: () => ({...counts}),
		reset() {
			counts.fromServer = 0;
			counts.toServer = 0;
			counts.clientLines = 0;
		},
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
