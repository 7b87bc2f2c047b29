/**
 * An independent iCalendar parser for tests: Debian's python3-icalendar, run as /usr/bin/python3 (the pyenv python3
 * on PATH lacks the module). Whatever we build must parse there as well as in ical.js.
 */
import {execFileSync} from 'node:child_process';

/** One property as python-icalendar reads it. */
export type PythonProperty = {
	/** The value re-serialised by python-icalendar (unescaped text for TEXT values). */
	value: string;
	params: Record<string, string>;
	/** For DATE-TIME values with a zone or Z: the instant in UTC, ISO 8601. */
	utc?: string;
	/** For DATE-TIME values: the wall-clock time and offset python computed (`2026-12-01T10:00:00+01:00`). */
	local?: string;
};

export type PythonComponent = {
	name: string;
	properties: Record<string, PythonProperty[]>;
	components: PythonComponent[];
	/** Problems python-icalendar noted while parsing (it collects them rather than throwing). */
	errors: string[];
};

const script = String.raw`
import sys, json, datetime
from icalendar import Calendar
from icalendar.prop import vText, vDDDTypes, vDDDLists

def prop(value):
    out = {"params": {k: str(v) for k, v in getattr(value, "params", {}).items()}}
    if isinstance(value, vText):
        out["value"] = str(value)
    else:
        raw = value.to_ical() if hasattr(value, "to_ical") else str(value)
        out["value"] = raw.decode() if isinstance(raw, bytes) else str(raw)
    dt = getattr(value, "dt", None)
    if isinstance(dt, datetime.datetime):
        out["local"] = dt.isoformat()
        if dt.tzinfo is not None:
            out["utc"] = dt.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return out

def walk(component):
    properties = {}
    for name, value in component.property_items(recursive=False, sorted=False):
        if name in ("BEGIN", "END"):
            continue
        values = value if isinstance(value, list) else [value]
        properties.setdefault(name, []).extend(prop(v) for v in values)
    return {
        "name": component.name,
        "properties": properties,
        "components": [walk(sub) for sub in component.subcomponents],
        "errors": [str(e) for e in getattr(component, "errors", [])],
    }

data = sys.stdin.buffer.read()
calendar = Calendar.from_ical(data)
print(json.dumps(walk(calendar)))
`;

/** Parses iCalendar text with python3-icalendar and returns its tree; throws with python's message if it cannot. */
export function parseWithPython(text: string): PythonComponent {
	const output = execFileSync('/usr/bin/python3', ['-c', script], {input: text, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe']});
	return JSON.parse(output) as PythonComponent;
}

/** All components of a name (e.g. `VEVENT`) anywhere in the tree. */
export function pythonComponents(root: PythonComponent, name: string): PythonComponent[] {
	const found: PythonComponent[] = root.name === name ? [root] : [];
	return [...found, ...root.components.flatMap(component => pythonComponents(component, name))];
}
