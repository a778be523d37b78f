// Parse iCalendar feeds with Mozilla's ical.js (Thunderbird's parser) and report, as JSON,
// what a client sees: events, REFRESH-INTERVAL's type and value, dates, time zones, errors.
// Usage: node parse_feeds.mjs [--details] FILE.ics ...
// With --details, each event's UID, SUMMARY, STATUS, SEQUENCE and dates are listed too.
import ICAL from "ical.js";
import { readFileSync } from "node:fs";

const results = [];
const args = process.argv.slice(2);
const details = args[0] === "--details";
for (const file of details ? args.slice(1) : args) {
  const started = performance.now();
  const out = { file, events: 0, uids: [], errors: [], timed: 0, details: [] };
  try {
    const comp = new ICAL.Component(ICAL.parse(readFileSync(file, "utf8")));
    for (const zone of comp.getAllSubcomponents("vtimezone")) {
      ICAL.TimezoneService.register(zone);
    }
    const refresh = comp.getFirstProperty("refresh-interval");
    out.refresh_type = refresh ? refresh.type : null;
    out.refresh = refresh ? refresh.getFirstValue().toString() : null;
    out.name = comp.getFirstPropertyValue("x-wr-calname");
    const seen = new Set();
    for (const vevent of comp.getAllSubcomponents("vevent")) {
      const event = new ICAL.Event(vevent);
      out.events += 1;
      out.uids.push(event.uid);
      if (details) {
        out.details.push({
          uid: event.uid,
          summary: event.summary,
          status: vevent.getFirstPropertyValue("status"),
          sequence: event.sequence,
          start: event.startDate.toString(),
          end: event.endDate.toString(),
        });
      }
      if (seen.has(event.uid)) out.errors.push(`duplicate UID ${event.uid}`);
      seen.add(event.uid);
      if (!event.summary) out.errors.push(`${event.uid}: no SUMMARY`);
      if (event.endDate.compare(event.startDate) <= 0) {
        out.errors.push(`${event.uid}: DTEND not after DTSTART`);
      }
      const tzid = vevent.getFirstProperty("dtstart").getParameter("tzid");
      if (tzid) {
        out.timed += 1;
        if (event.startDate.zone.tzid !== tzid) {
          out.errors.push(`${event.uid}: ${tzid} read as ${event.startDate.zone.tzid}`);
        }
        out.voting = event.startDate.toUnixTime();
      }
      for (const property of vevent.getAllProperties()) {
        if (property.type === "unknown") out.errors.push(`${event.uid}: ${property.name} unknown`);
      }
    }
  } catch (error) {
    out.errors.push(String(error));
  }
  out.ms = performance.now() - started;
  results.push(out);
}
process.stdout.write(JSON.stringify(results));
