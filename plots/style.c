/* style.c - see style.h.  The colours: the eight the charts always had
 * (matplotlib's, in its order), then olive, black, grey and gold, chosen
 * among common chart colours as the four farthest (CIE Lab) from the
 * eight and from each other; no two of the twelve are closer than the
 * first eight's own closest pair (purple and pink).  The dash patterns
 * are in units of the line's width. */
#include "plots/style.h"

static const char *const colours[PLOTS_COLOURS] = {
	"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b",
	"#e377c2", "#17becf", "#bcbd22", "#000000", "#7f7f7f", "#e6ab02",
};

static const char *const dashes[PLOTS_DASHES] = {
	"solid", "(6,3)", "(1.5,2.5)", "(8,3,1.5,3)",
};

const char *plots_style_colour(size_t i)
{
	return colours[i % PLOTS_COLOURS];
}

const char *plots_style_dash(size_t i)
{
	return dashes[i / PLOTS_COLOURS % PLOTS_DASHES];
}

void plots_style_line(FILE *f, size_t i)
{
	fprintf(f, " linecolor rgb '%s' dashtype %s", plots_style_colour(i), plots_style_dash(i));
}

void plots_style_key(FILE *f)
{
	fputs("set key below center horizontal reverse Left spacing 1.2 height 1 samplen 3\n", f);
}
