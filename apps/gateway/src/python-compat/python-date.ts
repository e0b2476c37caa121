const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

const DIRECTIVES: Record<string, (date: Date) => string> = {
  A: (date) => DAYS[date.getDay()],
  B: (date) => MONTHS[date.getMonth()],
  d: (date) => String(date.getDate()).padStart(2, '0'),
  Y: (date) => String(date.getFullYear()),
  '%': () => '%',
};

/**
 * Python's `strftime` for the directives prompts use (`%A`, `%B`, `%d`, `%Y`; C locale), in the server's local
 * time as `datetime.now()` gives it. Other directives are left as written.
 */
export function formatDate(date: Date, format: string): string {
  return format.replace(/%(.)/g, (directive, code: string) => DIRECTIVES[code]?.(date) ?? directive);
}
