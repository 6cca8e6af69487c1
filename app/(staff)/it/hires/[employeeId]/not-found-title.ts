/** The hire page's title and heading when nobody has the employee id in the address. */
export const NOT_FOUND_TITLE = 'No hire with this employee id';
