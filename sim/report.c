/* report.c - recovery criteria: read from the scenario, checked against
 * the run's columns, evaluated on its time series. */
#include "sim/report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/units.h"

#define DEFAULT_HOLD 30.0

static const char *const report_keys[] = { "window", "recovery", NULL };
static const char *const window_keys[] = { "from", "to", NULL };

/* A bound of the report's window that is not given: reported at the window. */
static bool missing_bound(struct sim_cfg *c, const struct sim_node *w, const char *key)
{
	if (sim_node_get(w, key))
		return false;
	sim_cfg_error(c, w, "missing '%s' in the report's window (give both from and to, or leave the window out to use the producers' schedules)",
		      key);
	return true;
}
static const char *const crit_keys[] = { "metric", "below", "hold", NULL };

/* A threshold: a plain number, or a duration for metrics in seconds. */
static int threshold(struct sim_cfg *c, const struct sim_node *v, double *out)
{
	const char *s = sim_cfg_scalar(c, v, "below", "a number");
	if (!s)
		return -1;
	if (!sim_parse_number(s, out) || !sim_parse_duration(s, out))
		return 0;
	sim_cfg_error(c, v, "bad threshold '%s' for 'below' in the report (expected a number, or a duration such as 5s)",
		      s);
	return -1;
}

int sim_report_cfg(struct sim_cfg *c, const struct sim_node *v, struct sim_report *r)
{
	*r = (struct sim_report){ 0 };
	if (!v)
		return 0;
	if (v->type != SIM_NODE_MAP) {
		sim_cfg_error(c, v, "expected {window, recovery} for 'report', got %s",
			      sim_node_type_name(v->type));
		return -1;
	}
	int bad = sim_cfg_check_keys(c, v, report_keys, "the report");
	const struct sim_node *w = sim_node_get(v, "window");
	if (w) {
		if (w->type != SIM_NODE_MAP) {
			sim_cfg_error(c, w, "expected {from, to} for the report's window, got %s",
				      sim_node_type_name(w->type));
			bad = -1;
		} else if (sim_cfg_check_keys(c, w, window_keys, "the report's window") < 0 ||
			   missing_bound(c, w, "from") || missing_bound(c, w, "to") ||
			   sim_cfg_duration(c, w, "from", &r->from, SIM_CFG_REQUIRED) < 0 ||
			   sim_cfg_duration(c, w, "to", &r->to, SIM_CFG_REQUIRED) < 0) {
			bad = -1;
		} else if (r->to <= r->from) {
			sim_cfg_error(c, sim_node_get(w, "to"),
				      "the report's window must end after it starts");
			bad = -1;
		} else {
			r->has_window = true;
		}
	}
	const struct sim_node *list = sim_node_get(v, "recovery");
	if (!list)
		return bad;
	if (list->type != SIM_NODE_SEQ || list->n == 0) {
		sim_cfg_error(c, list, "expected a list of {metric, below, hold} for 'recovery'");
		return -1;
	}
	r->crit = sim_arena_alloc(c->arena, list->n * sizeof *r->crit);
	if (!r->crit)
		return -1;
	r->explicit_crit = true;
	for (size_t i = 0; i < list->n; i++) {
		const struct sim_node *e = list->kids[i];
		struct sim_recovery *k = &r->crit[r->ncrit];
		if (e->type != SIM_NODE_MAP) {
			sim_cfg_error(c, e, "expected {metric, below, hold} in 'recovery', got %s",
				      sim_node_type_name(e->type));
			bad = -1;
			continue;
		}
		if (sim_cfg_check_keys(c, e, crit_keys, "a recovery criterion") < 0) {
			bad = -1;
			continue;
		}
		const struct sim_node *m = sim_node_get(e, "metric");
		if (!m) {
			sim_cfg_error(c, e, "missing 'metric' in a recovery criterion (a time-series column such as queue.depth)");
			bad = -1;
			continue;
		}
		if (!sim_cfg_scalar(c, m, "metric", "a column name")) {
			bad = -1;
			continue;
		}
		k->metric = m->str;
		k->at = m;
		k->below = NAN;
		k->hold = DEFAULT_HOLD;
		const struct sim_node *b = sim_node_get(e, "below");
		if ((b && threshold(c, b, &k->below) < 0) ||
		    sim_cfg_duration(c, e, "hold", &k->hold, 0) < 0) {
			bad = -1;
			continue;
		}
		r->ncrit++;
	}
	return bad;
}

static int check_one(const char *metric, const struct sim_node *at, const char *where,
		     const struct sim_series *s, struct sim_diag *diag)
{
	if (sim_series_find(s, metric) >= 0 || !at)
		return 0;
	const char *names[4096];
	size_t n = 0;
	for (size_t c = 0; c < s->ncols && n < 4095; c++)
		names[n++] = s->names[c];
	names[n] = NULL;
	const char *hint = sim_suggest(metric, names);
	if (hint)
		sim_diag_error(diag, at->file, at->line, at->col,
			       "unknown metric '%s' in %s (did you mean '%s'?)", metric, where, hint);
	else
		sim_diag_error(diag, at->file, at->line, at->col,
			       "unknown metric '%s' in %s (a time-series column: COMPONENT.METRIC, see timeseries.csv)",
			       metric, where);
	return 1;
}

int sim_report_check_columns(const struct sim_node *const *cols, size_t n,
			     const struct sim_series *s, struct sim_diag *diag)
{
	int errors = 0;
	for (size_t i = 0; i < n; i++)
		errors += check_one(cols[i]->str, cols[i], "a component", s, diag);
	return errors;
}

int sim_report_check(const struct sim_report *r, const struct sim_series *s,
		     struct sim_diag *diag)
{
	int errors = 0;
	for (size_t i = 0; i < r->ncrit; i++)
		errors += check_one(r->crit[i].metric, r->crit[i].at, "the report", s, diag);
	return errors;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The default threshold of a criterion without `below`, from the samples
 * of col up to window.from: their p99 (nearest rank) plus 10% of it, and
 * at least plus 1; never below the mean plus the same margin.  A level
 * that fluctuates then counts as recovered once it is back within its
 * usual range, not only at a quiet moment.  *p99 is the pre-window p99
 * (NaN without samples). */
static double default_below(const struct sim_report *r, const struct sim_series *s, int col,
			    double *p99)
{
	size_t n = 0;
	double sum = 0;
	double *v = malloc((s->nrows ? s->nrows : 1) * sizeof *v);
	for (size_t i = 0; i < s->nrows && s->t[i] <= r->from; i++) {
		double x = s->v[i * s->ncols + (size_t)col];
		if (isfinite(x)) {
			sum += x;
			if (v)
				v[n] = x;
			n++;
		}
	}
	double m = n ? sum / (double)n : 0;
	*p99 = NAN;
	if (v && n) {
		qsort(v, n, sizeof *v, cmp_double);
		size_t rank = (size_t)ceil(0.99 * (double)n);
		*p99 = v[(rank ? rank : 1) - 1];
	}
	free(v);
	double top = isnan(*p99) ? m : fmax(*p99, m);
	return top + fmax(0.1 * fabs(top), 1.0);
}

static void evaluate(const struct sim_report *r, const struct sim_recovery *k,
		     const struct sim_series *s, double stopped_at, struct sim_json *o)
{
	int col = sim_series_find(s, k->metric);
	double below = k->below, p99 = NAN;
	if (isnan(below) && col >= 0)
		below = default_below(r, s, col, &p99);
	double rec = NAN;
	size_t k0 = 0;
	while (col >= 0 && k0 < s->nrows && s->t[k0] < r->to)
		k0++;
	double last = s->nrows ? s->t[s->nrows - 1] : 0;
	for (size_t start = k0; col >= 0 && start < s->nrows;) {
		double t0 = s->t[start];
		if (t0 + k->hold > last + 1e-9)
			break;		/* not enough run left to hold */
		size_t j = start;
		bool ok = true;
		for (; j < s->nrows && s->t[j] <= t0 + k->hold + 1e-9; j++) {
			double v = s->v[j * s->ncols + (size_t)col];
			if (!(v <= below)) {
				ok = false;
				break;
			}
		}
		if (ok) {
			rec = t0 - r->to;
			break;
		}
		start = j + 1;
	}
	sim_json_str(o, "metric", k->metric);
	sim_json_num(o, "window_start_s", r->from);
	sim_json_num(o, "window_end_s", r->to);
	sim_json_num(o, "below", below);
	sim_json_bool(o, "below_default", isnan(k->below));
	if (isnan(k->below))
		sim_json_num(o, "pre_window_p99", p99);
	sim_json_num(o, "hold_s", k->hold);
	if (isnan(rec))
		sim_json_null(o, "recovery_time_s");
	else
		sim_json_num(o, "recovery_time_s", rec);
	sim_json_bool(o, "recovered", !isnan(rec));
	/* a run stopped early that had not recovered by then might have
	 * later: no verdict */
	sim_json_bool(o, "judged", !isnan(rec) || isnan(stopped_at));
}

void sim_report_recovery(const struct sim_report *r, const struct sim_series *s,
			 double stopped_at, struct sim_json *arr)
{
	if (!r->has_window)
		return;
	for (size_t i = 0; i < r->ncrit; i++)
		evaluate(r, &r->crit[i], s, stopped_at, sim_json_obj(arr, NULL));
}
