// @vitest-environment happy-dom
import {cleanup, fireEvent, render, screen} from '@testing-library/preact';
import {afterEach, describe, expect, test, vi} from 'vitest';
import {RelaySetup} from '../../../../components/relay-setup.tsx';
import type {NativeRelaySetup} from '../../../../lib/messaging.ts';
import {relayInstallCommands} from '../../../../lib/ui/relay-setup.ts';

afterEach(cleanup);

function show(setup: NativeRelaySetup | undefined): {onAllow: ReturnType<typeof vi.fn>; onCheck: ReturnType<typeof vi.fn>} {
	const onAllow = vi.fn();
	const onCheck = vi.fn();
	render(<RelaySetup setup={setup} checking={false} onAllow={onAllow} onCheck={onCheck} />);
	return {onAllow, onCheck};
}

describe('the relay set-up', () => {
	test('not allowed yet: the commands to copy, and the Allow button', () => {
		const {onAllow} = show({state: 'not-allowed'});
		for (const command of relayInstallCommands) {
			expect(screen.getByText(command).tagName).toBe('CODE');
			expect(screen.getByRole('button', {name: `Copy: ${command}`})).toBeTruthy();
		}

		fireEvent.click(screen.getByRole('button', {name: 'Allow the extension to start the relay'}));
		expect(onAllow).toHaveBeenCalledOnce();
	});

	test('allowed but not installed: the commands, no Allow button', () => {
		show({state: 'not-installed'});
		expect(screen.getByText(/not installed/)).toBeTruthy();
		expect(screen.getByText(relayInstallCommands[1])).toBeTruthy();
		expect(screen.queryByRole('button', {name: 'Allow the extension to start the relay'})).toBeNull();
	});

	test('connected: the version and the inbox watch, no commands', () => {
		const {onCheck} = show({state: 'connected', version: '0.1.0', watching: true});
		expect(screen.getByRole('status', {name: 'Relay set-up'}).textContent).toMatch(/Connected: relay 0\.1\.0, watching your inbox/);
		expect(screen.queryByText(relayInstallCommands[0])).toBeNull();
		fireEvent.click(screen.getByRole('button', {name: 'Check the relay again'}));
		expect(onCheck).toHaveBeenCalledOnce();
	});

	test('connected without the watch says answers wait for the next check', () => {
		show({state: 'connected', version: '0.1.0', watching: false});
		expect(screen.getByRole('status', {name: 'Relay set-up'}).textContent).toMatch(/not watching the inbox yet/);
	});
});
