// The schedule form's datetime-local value is a wall-clock time in the site's time zone (what the
// newsroom means by "9:00"); stories store UTC ISO times. Intl gives the zone's offset at a moment.

/** "2026-12-01T09:30" (or "…T09:30:15") in `timeZone` → UTC ISO, or undefined when the value is not such a time. */
export function zonedInputToUtc(value: string, timeZone: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (!m) return undefined;
  const [y, mo, d, h, mi, sec = 0] = m.slice(1).filter((part) => part !== undefined).map(Number) as [number, number, number, number, number, number?];
  const wall = Date.UTC(y, mo - 1, d, h, mi, sec);
  const check = new Date(wall);
  // Date.UTC rolls 2026-02-31 over to March; such a value is not a date.
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || sec > 59) return undefined;
  // Two passes settle the offset also next to a daylight-saving change.
  let utc = wall - offsetAt(wall, timeZone);
  utc = wall - offsetAt(utc, timeZone);
  return new Date(utc).toISOString();
}

/** A UTC ISO time as the site-zone wall clock for a datetime-local input (seconds only when not :00). */
export function utcToZonedInput(iso: string, timeZone: string): string {
  const time = Date.parse(iso);
  const wall = new Date(time + offsetAt(time, timeZone)).toISOString();
  return wall.slice(17, 19) === '00' ? wall.slice(0, 16) : wall.slice(0, 19);
}

/** How far the zone's wall clock is ahead of UTC at `time`, in milliseconds. */
function offsetAt(time: number, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(new Date(time))
      .map((p) => [p.type, p.value]),
  );
  const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return asUtc - Math.floor(time / 1000) * 1000;
}
