import { formatDate } from './python-date';

describe(formatDate.name, () => {
  const monday = new Date(2026, 11, 7, 9, 30);

  it("formats Duo Chat's current_date as upstream does (gitlab-versions.md §1)", () => {
    expect(formatDate(monday, '%A, %B, %d, %Y')).toBe('Monday, December, 07, 2026');
  });

  it("formats the prompt registry's default current_date (gitlab-versions.md §4)", () => {
    expect(formatDate(new Date(2025, 0, 31), '%B %d, %Y')).toBe('January 31, 2025');
  });

  it('leaves directives it does not know as written and unescapes %%', () => {
    expect(formatDate(monday, '%H:%M 100%%')).toBe('%H:%M 100%');
  });
});
