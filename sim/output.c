/* output.c - summary.json, timeseries.csv and the terminal summary. */
#include "sim/output.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/atomic.h"
#include "sim/model.h"
#include "sim/units.h"

int sim_mkdirs(const char *dir)
{
	char path[4096];
	size_t n = strlen(dir);
	if (n == 0 || n >= sizeof path) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(path, dir, n + 1);
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(path, 0777) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(path, 0777) < 0 && errno != EEXIST)
		return -1;
	struct stat st;
	if (stat(path, &st) < 0)
		return -1;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	return 0;
}

static const char *const share_keys[] = { "recovered", NULL };
static const char *const keep_keys[] = { "kind", "priority", NULL };

/* A replication counts in the means only when it ran to its end. */
static bool finished(const struct sim_result *r)
{
	return r->body && r->complete;
}

unsigned sim_output_finished(const struct sim_result *res, unsigned reps)
{
	unsigned n = 0;
	for (unsigned k = 0; k < reps; k++)
		n += finished(&res[k]);
	return n;
}

/* The figures: one replication's own (even if it stopped early: they
 * cover the time up to the stop), or the aggregate of those of several
 * that finished.  false when out of memory. */
static bool add_figures(struct sim_json *s, const struct sim_result *res, unsigned reps)
{
	if (reps == 1) {
		for (const struct sim_json *m = res[0].body ? res[0].body->first : NULL; m; m = m->next)
			sim_json_copy_into(s, m);
		return true;
	}
	const struct sim_json **bodies = calloc(reps, sizeof *bodies);
	if (!bodies)
		return false;
	unsigned nb = 0;
	for (unsigned k = 0; k < reps; k++)
		if (finished(&res[k]))
			bodies[nb++] = res[k].body;
	struct sim_json *agg = nb ? sim_json_aggregate(bodies, nb, share_keys, keep_keys) : NULL;
	free(bodies);
	if (nb && !agg)
		return false;
	for (const struct sim_json *m = agg ? agg->first : NULL; m; m = m->next)
		sim_json_copy_into(s, m);
	sim_json_free(agg);
	return true;
}

/* The replications left out of the means, by number. */
static void add_unfinished(struct sim_json *s, const struct sim_result *res, unsigned reps)
{
	sim_json_num(s, "replications_finished", sim_output_finished(res, reps));
	struct sim_json *list = sim_json_arr(s, "replications_unfinished");
	for (unsigned k = 0; k < reps; k++)
		if (!finished(&res[k]))
			sim_json_num(list, NULL, k + 1);
}

struct sim_json *sim_output_summary(const struct sim_scenario *sc,
				    const struct sim_result *res, unsigned reps,
				    double wall_s)
{
	struct sim_json *s = sim_json_new_obj();
	if (!s)
		return NULL;
	uint64_t events = 0;
	const struct sim_result *first_stop = NULL;
	for (unsigned k = 0; k < reps; k++) {
		events += res[k].events;
		if (!finished(&res[k]) && !first_stop)
			first_stop = &res[k];
	}
	sim_json_str(s, "scenario", sc->name);
	sim_json_str(s, "variant", sc->variant);
	sim_json_num(s, "seed", (double)sc->seed);
	sim_json_num(s, "replications", reps);
	if (first_stop && reps > 1)
		add_unfinished(s, res, reps);
	sim_json_num(s, "duration_s", sc->duration);
	sim_json_num(s, "warmup_s", sc->warmup);
	sim_json_num(s, "events", (double)events);
	sim_json_num(s, "wall_s", wall_s);
	sim_json_bool(s, "complete", !first_stop);
	if (first_stop) {
		sim_json_str(s, "stopped", first_stop->why[0] ? first_stop->why : "out of memory");
		sim_json_num(s, "stopped_at_s", first_stop->end_s);
	}
	if (!add_figures(s, res, reps) || sim_json_failed(s)) {
		sim_json_free(s);
		return NULL;
	}
	return s;
}

int sim_output_series(struct sim_series *out, struct sim_result *res, unsigned reps)
{
	sim_series_init(out);
	if (reps == 1) {
		*out = res[0].series;
		sim_series_init(&res[0].series);
		return 0;
	}
	const struct sim_series **all = calloc(reps, sizeof *all);
	if (!all)
		return -1;
	size_t n = 0;
	for (unsigned k = 0; k < reps; k++)
		if (finished(&res[k]))
			all[n++] = &res[k].series;
	int r = n ? sim_series_mean(out, all, n) : 0;
	free(all);
	return r;
}

static void write_json(FILE *f, const void *j)
{
	sim_json_write(j, f);
}

static void write_csv(FILE *f, const void *s)
{
	sim_series_write_csv(s, f);
}

int sim_output_write(const char *dir, const struct sim_json *summary,
		     const struct sim_series *mean, const struct sim_result *res, unsigned reps)
{
	if (sim_atomic_write_in(dir, "summary.json", write_json, summary) < 0)
		return -1;
	if (mean->ncols && sim_atomic_write_in(dir, "timeseries.csv", write_csv, mean) < 0)
		return -1;
	for (unsigned k = 0; reps > 1 && k < reps; k++) {
		if (!res[k].body)
			continue;	/* never ran */
		char sub[4200];
		snprintf(sub, sizeof sub, "%s/reps/%u", dir, k + 1);
		if (sim_mkdirs(sub) < 0) {
			fprintf(stderr, "sim: cannot create %s: %s\n", sub, strerror(errno));
			return -1;
		}
		if (sim_atomic_write_in(sub, "timeseries.csv", write_csv, &res[k].series) < 0)
			return -1;
	}
	return 0;
}

/* ---- the terminal summary ----------------------------------------------- */

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && !strcmp(s + a - b, suffix);
}

double sim_output_value(const struct sim_json *j, double *ci)
{
	if (ci)
		*ci = NAN;
	if (!j)
		return NAN;
	if (j->type == SIM_JSON_NUM)
		return j->num;
	if (j->type == SIM_JSON_BOOL)
		return j->b;
	const struct sim_json *m = sim_json_get(j, "mean", NULL);
	if (m && m->type == SIM_JSON_NUM) {
		if (ci)
			*ci = sim_json_getnum(j, "ci95", NULL);
		return m->num;
	}
	return NAN;
}

static void format_one(char *buf, size_t size, const char *key, double v, double ci)
{
	char a[64], b[64];
	if (isnan(v)) {
		snprintf(buf, size, "n/a");
		return;
	}
	if (ends_with(key, "_per_s")) {
		snprintf(a, sizeof a, "%.4g/s", v);
		snprintf(b, sizeof b, "%.2g/s", ci);
	} else if (ends_with(key, "_s")) {
		sim_format_duration(a, sizeof a, v);
		sim_format_duration(b, sizeof b, ci);
	} else if (!strcmp(key, "loss") || !strcmp(key, "utilization")) {
		snprintf(a, sizeof a, "%.4g%%", 100 * v);
		snprintf(b, sizeof b, "%.2g%%", 100 * ci);
	} else if ((v == floor(v) || fabs(v) >= 1000) && fabs(v) < 1e15) {
		snprintf(a, sizeof a, "%.0f", v);
		snprintf(b, sizeof b, "%.3g", ci);
	} else {
		snprintf(a, sizeof a, "%.4g", v);
		snprintf(b, sizeof b, "%.2g", ci);
	}
	if (isnan(ci))
		snprintf(buf, size, "%s", a);
	else
		snprintf(buf, size, "%s ± %s", a, b);
}

void sim_output_format(char *buf, size_t size, const char *key, const struct sim_json *j)
{
	double ci, v = sim_output_value(j, &ci);
	format_one(buf, size, key, v, ci);
}

static void print_metric(FILE *f, const char *key, const struct sim_json *j, bool *first)
{
	char buf[160];
	double ci, v = sim_output_value(j, &ci);
	const char *sep = *first ? "" : ", ";
	if (j->type == SIM_JSON_OBJ && sim_json_get(j, "p99", NULL))
		v = NAN;	/* a latency distribution, not a replicated number */
	if (!isnan(v) || j->type == SIM_JSON_NUM) {
		format_one(buf, sizeof buf, key, v, ci);
		fprintf(f, "%s%s %s", sep, key, buf);
		*first = false;
		return;
	}
	if (j->type != SIM_JSON_OBJ)
		return;
	if (sim_json_get(j, "p99", NULL)) {	/* a latency distribution */
		double ci50, ci99;
		double p50 = sim_output_value(sim_json_get(j, "p50", NULL), &ci50);
		double p99 = sim_output_value(sim_json_get(j, "p99", NULL), &ci99);
		char s50[64], s99[64];
		format_one(s50, sizeof s50, "x_s", p50, ci50);
		format_one(s99, sizeof s99, "x_s", p99, ci99);
		fprintf(f, "%s%s p50 %s, p99 %s", sep, key, s50, s99);
		*first = false;
		return;
	}
	/* counts by reason: list the non-zero ones */
	fprintf(f, "%s%s", sep, key);
	bool any = false;
	for (const struct sim_json *c = j->first; c; c = c->next) {
		double cci, cv = sim_output_value(c, &cci);
		if (!(cv > 0))
			continue;
		format_one(buf, sizeof buf, c->key, cv, cci);
		fprintf(f, "%s %s %s", any ? "," : "", c->key, buf);
		any = true;
	}
	if (!any)
		fputs(" none", f);
	*first = false;
}

void sim_output_print(FILE *f, const struct sim_scenario *sc, const struct sim_json *s,
		      const char *dir)
{
	double reps = sim_json_getnum(s, "replications", NULL);
	double events = sim_json_getnum(s, "events", NULL);
	double wall = sim_json_getnum(s, "wall_s", NULL);
	fprintf(f, "%s (%s): seed %.0f, %.0f replication%s of %g s simulated; %.4g events in %.3g s (%.3g M events/s)\n",
		sc->name, sc->variant, sim_json_getnum(s, "seed", NULL), reps, reps == 1 ? "" : "s",
		sc->duration, events, wall, wall > 0 ? events / wall / 1e6 : 0.0);
	const struct sim_json *comps = sim_json_get(s, "components", NULL);
	for (size_t i = 0; i < sc->ncomps; i++) {
		const struct sim_component *c = &sc->comps[i];
		const struct sim_json *m = sim_json_get(comps, c->name, NULL);
		if (!m)
			continue;
		fprintf(f, "  %-8s %-16s ", c->ops->name, c->name);
		bool first = true;
		for (const char *const *h = c->ops->headline; h && *h; h++) {
			bool if_any = **h == '?';	/* shown only when not 0 */
			const char *key = *h + if_any;
			const struct sim_json *v = sim_json_get(m, key, NULL);
			double ci;
			if (v && !(if_any && sim_output_value(v, &ci) == 0))
				print_metric(f, key, v, &first);
		}
		fputc('\n', f);
	}
	const struct sim_json *classes = sim_json_get(s, "classes", NULL);
	if (sc->nclasses > 1)
		for (const struct sim_json *c = classes ? classes->first : NULL; c; c = c->next) {
			bool first = true;
			fprintf(f, "  class    %-16s ", c->key);
			print_metric(f, "sojourn_s", sim_json_get(c, "sojourn_s", NULL), &first);
			print_metric(f, "dropped", sim_json_get(c, "dropped", NULL), &first);
			fputc('\n', f);
		}
	const struct sim_json *rec = sim_json_get(s, "recovery", NULL);
	if (rec && rec->first) {
		double ci;
		fprintf(f, "  recovery after the overload window %g s to %g s:\n",
			sim_output_value(sim_json_get(rec->first, "window_start_s", NULL), &ci),
			sim_output_value(sim_json_get(rec->first, "window_end_s", NULL), &ci));
		for (const struct sim_json *r = rec->first; r; r = r->next) {
			const struct sim_json *m = sim_json_get(r, "metric", NULL);
			const struct sim_json *ok = sim_json_get(r, "recovered", NULL);
			double below = sim_output_value(sim_json_get(r, "below", NULL), &ci);
			double hold = sim_output_value(sim_json_get(r, "hold_s", NULL), &ci);
			double t = sim_output_value(sim_json_get(r, "recovery_time_s", NULL), &ci);
			char tb[64], hb[64];
			format_one(tb, sizeof tb, "x_s", t, ci);
			sim_format_duration(hb, sizeof hb, hold);
			fprintf(f, "    %-28s ", m && m->str ? m->str : "?");
			if (ok && ok->type == SIM_JSON_BOOL)
				fprintf(f, ok->b ? "recovered %s after it" : "NOT RECOVERED by the end of the run", tb);
			else if (ok && ok->num >= 1)
				fprintf(f, "recovered %s after it (in every replication)", tb);
			else if (ok)
				fprintf(f, "recovered in %.0f%% of replications (%s after it when it did)",
					100 * ok->num, tb);
			fprintf(f, " (stays <= %.4g for %s)\n", below, hb);
		}
	}
	const struct sim_json *cons = sim_json_get(s, "conservation", NULL);
	const struct sim_json *ok = sim_json_get(cons, "ok", NULL);
	double ci;
	if (cons)
		fprintf(f, "  conservation %s: created %.0f = completed %.0f + dropped %.0f + in flight %.0f%s\n",
			ok && ok->b ? "ok" : "VIOLATED",
			sim_output_value(sim_json_get(cons, "created", NULL), &ci),
			sim_output_value(sim_json_get(cons, "completed", NULL), &ci),
			sim_output_value(sim_json_get(cons, "dropped", NULL), &ci),
			sim_output_value(sim_json_get(cons, "in_flight", NULL), &ci),
			reps > 1 ? " (means over replications)" : "");
	const struct sim_json *complete = sim_json_get(s, "complete", NULL);
	if (complete && !complete->b) {
		const struct sim_json *why = sim_json_get(s, "stopped", NULL);
		fprintf(f, "  INCOMPLETE: %s\n", why && why->str ? why->str : "stopped early");
	}
	const struct sim_json *fin = sim_json_get(s, "replications_finished", NULL);
	if (fin && fin->num > 0)
		fprintf(f, "  %.0f of %.0f replications finished; the figures are means over those %.0f\n",
			fin->num, reps, fin->num);
	else if (fin)
		fprintf(f, "  none of the %.0f replications finished: no figures, no averages\n", reps);
	if (dir)
		fprintf(f, "  outputs in %s/\n", dir);
}
