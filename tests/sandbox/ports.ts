import net from 'node:net';

/** A TCP port on 127.0.0.1 that is free right now (the OS picks it). */
export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => {
				if (address && typeof address === 'object') {
					resolve(address.port);
				} else {
					reject(new Error('No port was assigned'));
				}
			});
		});
	});
}

/** Resolves once something accepts TCP connections on host:port, or rejects after `attempts` tries. */
export async function waitForPort(host: string, port: number, what: string, attempts = 200): Promise<void> {
	for (let attempt = 0; attempt < attempts; attempt++) {
		 
		const open = await new Promise<boolean>(resolve => {
			const socket = net.connect(port, host);
			socket.once('connect', () => {
				socket.destroy();
				resolve(true);
			});
			socket.once('error', () => {
				resolve(false);
			});
		});
		if (open) {
			return;
		}

		 
		await new Promise(resolve => setTimeout(resolve, 50));
	}

	throw new Error(`${what} did not start listening on ${host}:${port}`);
}
