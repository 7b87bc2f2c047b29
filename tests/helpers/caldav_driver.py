"""An independent CalDAV client for the scheduling tests: Debian's python3-caldav, as another calendar app would
use the user's calendar. One command per run, JSON on argv; prints JSON.

  create   {url, user, password, ics}                 save a new event as given (as Apple Calendar or Thunderbird would)
  edit     {url, user, password, uid, move_hours?, remove_attendee?, partstat?: {email, value}}
  delete   {url, user, password, uid}
  get      {url, user, password, uid}                 the event's text
"""
import json
import sys
from datetime import timedelta

import caldav
import icalendar


def calendar_of(args):
    client = caldav.DAVClient(url=args["url"], username=args["user"], password=args["password"])
    return client.principal().calendars()[0]


def main():
    command, args = sys.argv[1], json.loads(sys.argv[2])
    calendar = calendar_of(args)
    if command == "create":
        # As filed by the app: SEQUENCE as given (python3-caldav's save() raises it by default).
        event = caldav.Event(calendar.client, data=args["ics"], parent=calendar)
        event.save(increase_seqno=False)
        print(json.dumps({"url": str(event.url)}))
        return
    event = calendar.event_by_uid(args["uid"])
    if command == "get":
        print(json.dumps({"ics": event.data}))
        return
    if command == "delete":
        event.delete()
        print(json.dumps({"deleted": args["uid"]}))
        return
    if command == "edit":
        cal = icalendar.Calendar.from_ical(event.data)
        for component in cal.walk("VEVENT"):
            if "move_hours" in args:
                for name in ("DTSTART", "DTEND"):
                    if name in component:
                        moved = component[name].dt + timedelta(hours=args["move_hours"])
                        params = component[name].params
                        del component[name]
                        component.add(name, moved, parameters=params)
            if "remove_attendee" in args:
                attendees = component.get("ATTENDEE", [])
                attendees = attendees if isinstance(attendees, list) else [attendees]
                kept = [a for a in attendees if str(a).lower() != "mailto:" + args["remove_attendee"].lower()]
                del component["ATTENDEE"]
                for attendee in kept:
                    component.add("ATTENDEE", attendee)
            if "partstat" in args:
                attendees = component.get("ATTENDEE", [])
                for attendee in attendees if isinstance(attendees, list) else [attendees]:
                    if str(attendee).lower() == "mailto:" + args["partstat"]["email"].lower():
                        attendee.params["PARTSTAT"] = args["partstat"]["value"]
        event.data = cal.to_ical().decode()
        # python3-caldav raises SEQUENCE on every save, as an organizer's app should for a new time; an attendee's
        # app answering (PARTSTAT) must not (RFC 5546 §2.1.4: only the organizer changes SEQUENCE).
        event.save(increase_seqno="partstat" not in args)
        print(json.dumps({"url": str(event.url)}))
        return
    raise SystemExit("unknown command " + command)


main()
