/* gpstr.c - see gpstr.h.  The invariant: what these functions write
 * parses, in gnuplot, as exactly one string (or one comment) holding the
 * given text, whatever bytes the text holds. */
#include "plots/gpstr.h"

#include <stdbool.h>
#include <string.h>

static bool control(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

void plots_gp_string(FILE *f, const char *s, enum plots_gp_text how)
{
	fputc('\'', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (control(*p)) {
			fputc(' ', f);
			continue;
		}
		if (*p == '\'') {
			fputs("''", f);
			continue;
		}
		/* in enhanced text, a backslash makes the next character plain */
		if (how == PLOTS_GP_ENHANCED && strchr("\\^_@&~{}", *p))
			fputc('\\', f);
		fputc(*p, f);
	}
	fputc('\'', f);
}

void plots_gp_comment(FILE *f, const char *s)
{
	size_t n = strlen(s);
	while (n && s[n - 1] == '\\')
		n--;
	fputs("# ", f);
	for (size_t i = 0; i < n; i++)
		fputc(control((unsigned char)s[i]) ? ' ' : s[i], f);
	fputc('\n', f);
}
