import type {JSX} from 'preact';

/** Elastic's small busy indicator: a turning ring. Decorative; say what is busy in text next to it. */
export function Spinner({class: className}: {class?: string}): JSX.Element {
	return <span class={`pmi-spinner${className ? ` ${className}` : ''}`} aria-hidden="true" />;
}
