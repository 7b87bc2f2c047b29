import type {JSX} from 'preact';

/**
 * Line icons drawn for this extension in the spirit of Elastic's Font Awesome set (solid shapes, 16px grid),
 * inline so that the popup and options page need no font and the composer none from the page.
 */
const paths = {
	calendar: 'M4 1.5v2M12 1.5v2M2 5.5h12M3 3h10a1 1 0 0 1 1 1v9a1 1 0 0 1-1 1H3a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1z',
	check: 'M3 8.5l3.2 3L13 4.5',
	close: 'M4 4l8 8M12 4l-8 8',
	alert: 'M8 2l6.5 11.5h-13zM8 6.5v3.5M8 11.8v.2',
	refresh: 'M13.5 8A5.5 5.5 0 1 1 12 4.2M12.5 1.8v2.8H9.7',
	chevron: 'M6 4l4 4-4 4',
	clock: 'M8 2.5a5.5 5.5 0 1 1 0 11 5.5 5.5 0 0 1 0-11zM8 5v3.2l2.2 1.3',
	globe: 'M8 2.5a5.5 5.5 0 1 1 0 11 5.5 5.5 0 0 1 0-11zM2.5 8h11M8 2.5c1.6 1.6 2.3 3.5 2.3 5.5S9.6 11.9 8 13.5C6.4 11.9 5.7 10 5.7 8S6.4 4.1 8 2.5z',
	repeat: 'M3 7V6a2 2 0 0 1 2-2h7.5M10.5 2l2 2-2 2M13 9v1a2 2 0 0 1-2 2H3.5M5.5 14l-2-2 2-2',
	pin: 'M8 14s4.5-4.2 4.5-7.5a4.5 4.5 0 0 0-9 0C3.5 9.8 8 14 8 14zM8 5a1.5 1.5 0 1 1 0 3 1.5 1.5 0 0 1 0-3z',
	text: 'M2.5 4h11M2.5 7h11M2.5 10h11M2.5 13h7',
	users: 'M6 7.5a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5zM1.5 13.5c0-2.5 2-4 4.5-4s4.5 1.5 4.5 4M11 7.3a2.2 2.2 0 1 0-.6-4.3M12 9.6c1.5.4 2.5 1.7 2.5 3.9',
	send: 'M14 2L7 9M14 2l-4.5 12-2.5-5-5-2.5z',
	external: 'M9.5 2.5h4v4M13.5 2.5L8 8M11.5 9.5v3a1 1 0 0 1-1 1h-7a1 1 0 0 1-1-1v-7a1 1 0 0 1 1-1h3',
	eye: 'M1.5 8S4 3.5 8 3.5 14.5 8 14.5 8 12 12.5 8 12.5 1.5 8 1.5 8zM8 6a2 2 0 1 1 0 4 2 2 0 0 1 0-4z',
	/** Elastic's "options" icon (Font Awesome sliders-h): settings. */
	sliders: 'M2 4.5h6M11 4.5h3M9.5 3a1.5 1.5 0 1 1 0 3 1.5 1.5 0 0 1 0-3zM2 11.5h2M7 11.5h7M5.5 10a1.5 1.5 0 1 1 0 3 1.5 1.5 0 0 1 0-3z',
	trash: 'M2.5 4h11M6 4V2.5h4V4M4 4l.7 9.5h6.6L12 4',
	/** A pencil: edit. */
	edit: 'M10.5 2.5l3 3L6 13H3v-3zM9 4l3 3',
} as const;

export type IconName = keyof typeof paths;

export function Icon({name, class: className}: {name: IconName; class?: string}): JSX.Element {
	return (
		<svg
			class={`pmi-icon${className ? ` ${className}` : ''}`}
			viewBox="0 0 16 16"
			width="16"
			height="16"
			fill="none"
			stroke="currentColor"
			stroke-width="1.6"
			stroke-linecap="round"
			stroke-linejoin="round"
			aria-hidden="true"
			focusable="false"
		>
			<path d={paths[name]} />
		</svg>
	);
}
