// Dates as readers see them, in the site's time zone.

export interface DateFormatter {
  long(iso: string): string;
  short(iso: string): string;
}

export function dateFormatter(timeZone: string): DateFormatter {
  const long = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  });
  const short = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'short', day: 'numeric' });
  return {
    long: (iso) => long.format(new Date(iso)),
    short: (iso) => short.format(new Date(iso)),
  };
}
