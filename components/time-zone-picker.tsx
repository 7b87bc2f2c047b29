import type {JSX, TargetedKeyboardEvent} from 'preact';
import {useEffect, useMemo, useRef, useState} from 'preact/hooks';
import {offsetLabel, searchTimeZones} from '@/lib/ui/time-zones';

/** More would only make the list slow to scan; typing narrows it. */
const shownMatches = 50;

type TimeZonePickerProps = {
	id: string;
	value: string;
	zones: readonly string[];
	/** The instant whose offsets are shown (the event's start): `GMT+2` in summer, `GMT+1` in winter. */
	at: Date;
	/** The browser's own zone, offered first. */
	browserZone?: string;
	describedBy?: string | undefined;
	invalid?: boolean;
	onChange(zone: string): void;
};

/**
 * A searchable IANA time-zone list (ARIA combobox with a listbox): type part of a city or region
 * (`new york`, `berlin`), move with the arrow keys, Enter or click to pick, Escape to close the list.
 */
export function TimeZonePicker({id, value, zones, at, browserZone, describedBy, invalid, onChange}: TimeZonePickerProps): JSX.Element {
	const [open, setOpen] = useState(false);
	const [query, setQuery] = useState('');
	const [active, setActive] = useState(0);
	const matches = useMemo(() => {
		const found = searchTimeZones(zones, query, shownMatches);
		// With no query, the zone in use and the browser's come first.
		return query.trim() === ''
			? [...new Set([value, browserZone ?? '', ...found].filter(Boolean))].slice(0, shownMatches)
			: found;
	}, [zones, query, value, browserZone]);
	const listId = `${id}-list`;
	const list = useRef<HTMLUListElement>(null);
	useEffect(() => {
		list.current?.querySelector('.pmi-option-active')?.scrollIntoView({block: 'nearest'});
	}, [active, open]);

	const close = (): void => {
		setOpen(false);
		setQuery('');
		setActive(0);
	};

	const pick = (zone: string | undefined): void => {
		if (zone) {
			onChange(zone);
		}

		close();
	};

	const onKeyDown = (event: TargetedKeyboardEvent<HTMLInputElement>): void => {
		switch (event.key) {
			case 'ArrowDown': {
				event.preventDefault();
				if (open) {
					setActive(Math.min(active + 1, matches.length - 1));
				} else {
					setOpen(true);
				}

				break;
			}

			case 'ArrowUp': {
				event.preventDefault();
				setActive(Math.max(active - 1, 0));
				break;
			}

			case 'Enter': {
				if (open) {
					// Picks from the list instead of sending the form.
					event.preventDefault();
					pick(matches[active]);
				}

				break;
			}

			case 'Escape': {
				if (open) {
					// Closes the list only, not the whole composer.
					event.preventDefault();
					event.stopPropagation();
					close();
				}

				break;
			}

			default:
		}
	};

	const offset = offsetLabel(value, at);
	return (
		<div class="pmi-combobox">
			<input
				id={id}
				type="text"
				class={`pmi-input${invalid ? ' pmi-is-invalid' : ''}`}
				role="combobox"
				autocomplete="off"
				spellcheck={false}
				aria-label="Time zone"
				aria-autocomplete="list"
				aria-expanded={open}
				aria-controls={listId}
				aria-activedescendant={open && matches[active] ? `${listId}-${active}` : undefined}
				aria-describedby={describedBy}
				aria-invalid={invalid ? true : undefined}
				value={open ? query : value.replaceAll('_', ' ')}
				placeholder={open ? value.replaceAll('_', ' ') : 'Search a city or region'}
				onFocus={() => {
					setOpen(true);
				}}
				onClick={() => {
					setOpen(true);
				}}
				onInput={event => {
					setQuery(event.currentTarget.value);
					setActive(0);
					setOpen(true);
				}}
				onKeyDown={onKeyDown}
				onBlur={close}
			/>
			{open ? null : <span class="pmi-combobox-offset" aria-hidden="true">{offset}</span>}
			{open
				? (
					<ul ref={list} class="pmi-listbox" id={listId} role="listbox" aria-label="Time zones">
						{matches.length === 0 ? <li class="pmi-listbox-empty" role="presentation">No time zone matches “{query}”.</li> : null}
						{matches.map((zone, index) => (
							<li
								key={zone}
								id={`${listId}-${index}`}
								role="option"
								class={`pmi-option${index === active ? ' pmi-option-active' : ''}`}
								aria-selected={zone === value}
								onMouseDown={event => {
									// Keeps the focus in the input so that blur does not close the list first.
									event.preventDefault();
									pick(zone);
								}}
								onMouseEnter={() => {
									setActive(index);
								}}
							>
								<span class="pmi-option-name">{zone.replaceAll('_', ' ')}</span>
								<span class="pmi-option-detail">{zone === browserZone ? 'this computer · ' : ''}{offsetLabel(zone, at)}</span>
							</li>
						))}
					</ul>
				)
				: null}
		</div>
	);
}
