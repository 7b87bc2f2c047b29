/**
 * SMTP submission through nodemailer: implicit TLS on 465, STARTTLS on 587 (required unless loopback), AUTH always.
 * One connection per call; sends are rare enough that pooling would only hold sockets open.
 */
import nodemailer from 'nodemailer';
import {toRelayError} from './errors.ts';
import {isLoopbackHost} from './config.ts';
import type {MailTarget} from './hosted.ts';

export type SmtpLogin = {endpoint: MailTarget; user: string; password: string; connectTimeoutMs: number};

function transport(login: SmtpLogin): ReturnType<typeof nodemailer.createTransport> {
	const {endpoint} = login;
	const loopbackPlaintext = !endpoint.secure && isLoopbackHost(endpoint.host);
	return nodemailer.createTransport({
		host: endpoint.host,
		// The name for TLS when `host` is the address hosted mode checked (relay/hosted.ts).
		...(endpoint.servername ? {servername: endpoint.servername} : {}),
		port: endpoint.port,
		secure: endpoint.secure,
		requireTLS: !endpoint.secure && !loopbackPlaintext,
		ignoreTLS: loopbackPlaintext,
		auth: {user: login.user, pass: login.password},
		connectionTimeout: login.connectTimeoutMs,
		greetingTimeout: login.connectTimeoutMs,
		socketTimeout: 60_000,
		logger: false,
		debug: false,
	});
}

/**
 * Connects, logs in and quits.
 * @throws {RelayError} MAILBOX_AUTH_FAILED, UNREACHABLE, TLS_FAILED or UPSTREAM
 */
export async function verifySmtp(login: SmtpLogin): Promise<void> {
	const transporter = transport(login);
	try {
		await transporter.verify();
	} catch (error) {
		throw toRelayError(error, 'SMTP');
	} finally {
		transporter.close();
	}
}

export type SmtpResult = {accepted: string[]; rejected: Array<{address: string; reason: string}>};

type RecipientError = {recipient?: unknown; response?: unknown; message?: unknown};

function rejectionsOf(addresses: readonly string[], errors: readonly RecipientError[] | undefined): SmtpResult['rejected'] {
	return addresses.map(address => {
		const match = errors?.find(error => error.recipient === address);
		const reason = match?.response ?? match?.message;
		return {address, reason: typeof reason === 'string' ? reason : 'rejected'};
	});
}

/**
 * Sends `raw` as is to `to`, with `from` as the envelope sender.
 * A message every recipient refused is a result (accepted empty), not an error.
 * @throws {RelayError} when the connection or login fails, or the server refuses the message itself
 */
export async function sendRaw(login: SmtpLogin, envelope: {from: string; to: string[]}, raw: Buffer): Promise<SmtpResult> {
	const transporter = transport(login);
	try {
		const info = await transporter.sendMail({envelope, raw});
		const rejected = info.rejected.map(String);
		return {accepted: info.accepted.map(String), rejected: rejectionsOf(rejected, info.rejectedErrors)};
	} catch (error) {
		const details = error as {code?: unknown; rejected?: unknown; rejectedErrors?: RecipientError[]};
		if (details.code === 'EENVELOPE' && Array.isArray(details.rejected) && details.rejected.length > 0) {
			return {accepted: [], rejected: rejectionsOf(details.rejected.map(String), details.rejectedErrors)};
		}

		throw toRelayError(error, 'SMTP');
	} finally {
		transporter.close();
	}
}
