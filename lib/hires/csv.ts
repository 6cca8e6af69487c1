// CSV out (the console's export), written for the spreadsheet it will be opened in, not only for RFC 4180.
//
// Every field is quoted. Excel splits a line on the locale's list separator (";" in much of Europe),
// and LibreOffice's and Excel's import dialogs let the user pick others (tab, space, "|"), so an
// unquoted `x;=1+1` could become two cells, the second a live formula. A quoted field stays one cell
// whatever the separator. Quoting does not defuse a formula, though: Excel evaluates `"=1+1"` once it
// has taken the quotes off, and so does LibreOffice with "Evaluate formulas" ticked. So a field that
// starts with = + - @, or with a tab or CR (OWASP's list, "CSV Injection"), gets a leading apostrophe
// and opens as text. Inside a quoted cell nothing after the first character can start a formula, so
// that character is the only one to check.

/** One CSV field: always quoted, embedded quotes doubled, a formula's first character defused. */
export function csvField(value: string | number | null | undefined): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

export function csvRow(values: (string | number | null | undefined)[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}
