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
