import type {JSX} from 'preact';

/** The options page. Account, servers and relay settings arrive with the reply loop. */
export function OptionsApp(): JSX.Element {
	return (
		<main>
			<h1>Purelymail Invites options</h1>
		</main>
	);
}
