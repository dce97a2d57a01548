/* gpstr.h - text written into a gnuplot script, as data and never as code.
 *
 * gnuplot runs `commands` in backquotes and expands @macros outside
 * quotes and inside double-quoted strings, reads escapes in double-quoted
 * strings, and ends a command at a line break.  Inside a single-quoted
 * string nothing of that happens (checked on gnuplot 5.4): only '' is
 * special, and stands for one quote.  So every name, title, label and
 * file name goes into a script through plots_gp_string, single-quoted.
 */
#ifndef PLOTS_GPSTR_H
#define PLOTS_GPSTR_H

#include <stdio.h>

enum plots_gp_text {
	/* the bytes as they are: file names, and labels set `noenhanced` */
	PLOTS_GP_VERBATIM,
	/* text in enhanced mode (chart titles, whose subtitle is markup for
	 * a smaller font): the markup characters \ ^ _ @ & ~ { } are escaped,
	 * so a name such as queue_a shows as written, not subscripted */
	PLOTS_GP_ENHANCED,
};

/* Writes s to f as one single-quoted gnuplot string literal.  Quotes are
 * doubled; control characters (line breaks included), which would end the
 * command or the string, become spaces. */
void plots_gp_string(FILE *f, const char *s, enum plots_gp_text how);

/* Writes s to f as the text of a "# ..." comment line, newline included:
 * control characters become spaces, and a final backslash, which would
 * continue the comment onto the next line, is dropped. */
void plots_gp_comment(FILE *f, const char *s);

#endif
