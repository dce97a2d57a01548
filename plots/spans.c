/* spans.c - see spans.h.  A component's spans come from its model
 * (sim_model_ops.spans): the charts never ask what kind it is. */
#include "plots/spans.h"

#include <math.h>
#include <string.h>

#include "plots/gpstr.h"
#include "sim/model.h"

#define MAX_SPANS 32		/* per component */
#define FIRST_ID 100		/* gnuplot object and label tags */

void plots_span_label(FILE *f, const struct plots_context *cx, int id, const char *text,
		      const char *colour, double from, double to, double *left)
{
	/* the widths are estimates: a character is about 1/100 of the
	 * plot's width */
	double chars = cx->sc->duration / 100, half = 0.5 * (double)strlen(text) * chars;
	double mid = (from + to) / 2;
	if (mid - half < *left)
		mid = *left + half;
	*left = mid + half + chars;
	fprintf(f, "set label %d ", id);
	plots_gp_string(f, text, PLOTS_GP_VERBATIM);
	fprintf(f, " noenhanced at %.10g, graph 1 center offset 0,0.6 textcolor rgb '%s' front\n",
		mid / cx->xdiv, colour);
}

/* Component c's spans that start within the run, cut at its end. */
static size_t spans_of(const struct plots_context *cx, const struct sim_component *c,
		       struct sim_span *out)
{
	if (!c->ops->spans)
		return 0;
	size_t n = c->ops->spans(c->conf, out, MAX_SPANS), k = 0;
	for (size_t i = 0; i < n; i++) {
		if (!(out[i].from < cx->sc->duration))
			continue;
		out[k] = out[i];
		out[k].to = fmin(out[k].to, cx->sc->duration);
		k++;
	}
	return k;
}

bool plots_spans_any(const struct plots_context *cx)
{
	struct sim_span s[MAX_SPANS];
	for (size_t i = 0; i < cx->sc->ncomps; i++)
		if (spans_of(cx, &cx->sc->comps[i], s) > 0)
			return true;
	return false;
}

void plots_spans_write(FILE *f, const struct plots_context *cx, double *left)
{
	struct sim_span s[MAX_SPANS];
	int id = FIRST_ID;
	for (size_t i = 0; i < cx->sc->ncomps; i++) {
		const struct sim_component *c = &cx->sc->comps[i];
		size_t n = spans_of(cx, c, s);
		for (size_t k = 0; k < n; k++, id++) {
			char text[256];
			snprintf(text, sizeof text, "%s %s", c->name, s[k].label);
			fprintf(f, "set object %d rectangle from %.10g, graph 0 to %.10g, graph 1 behind fillcolor rgb '#fbe3b8' fillstyle transparent solid 0.45 border linecolor rgb '#b26b00' dashtype (4,4)\n",
				id, s[k].from / cx->xdiv, s[k].to / cx->xdiv);
			plots_span_label(f, cx, id, text, "#8a5200", s[k].from, s[k].to, left);
		}
	}
}
