import type {JSX} from 'preact';

/** The toolbar popup. Lists events and answers once the reply loop exists. */
export function PopupApp(): JSX.Element {
	return (
		<main>
			<h1>Purelymail Invites</h1>
			<p>No invitations yet.</p>
		</main>
	);
}
