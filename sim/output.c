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
	if (sc->sample_auto && sc->sample != 1) {
		sim_json_num(s, "sample_s", sc->sample);
		sim_json_bool(s, "sample_auto", true);
	}
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

size_t sim_output_kept(const struct sim_scenario *sc, const char **names)
{
	size_t n = 0;
	for (size_t i = 0; sc->report.has_window && i < sc->report.ncrit; i++) {
		const char *m = sc->report.crit[i].metric;
		size_t j = 0;
		while (j < n && strcmp(names[j], m))
			j++;
		if (j == n)
			names[n++] = m;
	}
	return n;
}

int sim_output_streams_init(struct sim_output_streams *os, const char *dir,
			    const struct sim_scenario *sc, unsigned reps)
{
	*os = (struct sim_output_streams){ .reps = reps };
	snprintf(os->dir, sizeof os->dir, "%s", dir);
	os->st = calloc(reps, sizeof *os->st);
	os->sinks = calloc(reps, sizeof *os->sinks);
	os->keep = calloc(sc->report.ncrit + 1, sizeof *os->keep);
	if (!os->st || !os->sinks || !os->keep) {
		sim_output_streams_fini(os);
		return -1;
	}
	os->nkeep = sim_output_kept(sc, os->keep);
	os->rows = (size_t)sim_scenario_rows(sc);
	for (unsigned k = 0; k < reps; k++) {
		char sub[4200];
		snprintf(sub, sizeof sub, "%s/reps/%u", dir, k + 1);
		struct sim_stream_opts o = {
			.dir = reps == 1 ? dir : sub, .name = "timeseries.csv", .spill = reps > 1,
			.keep = os->keep, .nkeep = os->nkeep, .reduce_rows = reps == 1 ? os->rows : 0,
		};
		sim_stream_init(&os->st[k], &o);
		os->sinks[k] = &os->st[k].sink;
	}
	return 0;
}

void sim_output_streams_fini(struct sim_output_streams *os)
{
	for (unsigned k = 0; os->st && k < os->reps; k++)
		sim_stream_fini(&os->st[k]);
	free(os->st);
	free(os->sinks);
	free(os->keep);
	*os = (struct sim_output_streams){ 0 };
}

bool sim_output_streams_failed(const struct sim_output_streams *os)
{
	for (unsigned k = 0; k < os->reps; k++)
		if (os->st[k].failed)
			return true;
	return false;
}

/* The mean of the finished replications' rows: DIR/timeseries.csv, and
 * its reduction into *out. */
static int mean_series(struct sim_series *out, struct sim_output_streams *os,
		       const struct sim_result *res)
{
	struct sim_stream **in = calloc(os->reps, sizeof *in);
	if (!in)
		return -1;
	size_t n = 0;
	for (unsigned k = 0; k < os->reps; k++)
		if (finished(&res[k]) && os->st[k].ended && !os->st[k].failed)
			in[n++] = &os->st[k];
	int rc = 0;
	if (n) {
		struct sim_stream mean;
		struct sim_stream_opts o = { .dir = os->dir, .name = "timeseries.csv",
					     .reduce_rows = os->rows };
		sim_stream_init(&mean, &o);
		rc = sim_stream_mean(&mean, in, n);
		if (rc < 0 && !mean.told)
			fprintf(stderr, "sim: %s\n", mean.why);
		*out = mean.reduced;
		sim_series_init(&mean.reduced);
		sim_stream_fini(&mean);
	}
	free(in);
	return rc;
}

int sim_output_series(struct sim_series *out, struct sim_output_streams *os,
		      const struct sim_result *res)
{
	sim_series_init(out);
	if (os->reps > 1)
		return mean_series(out, os, res);
	*out = os->st[0].reduced;
	sim_series_init(&os->st[0].reduced);
	return 0;
}

static void write_json(FILE *f, const void *j)
{
	sim_json_write(j, f);
}

int sim_output_write(const char *dir, const struct sim_json *summary)
{
	return sim_atomic_write_in(dir, "summary.json", write_json, summary);
}
