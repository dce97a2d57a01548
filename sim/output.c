/* output.c - summary.json, timeseries.csv and the terminal summary. */
#include "sim/output.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

struct sim_json *sim_output_summary(const struct sim_scenario *sc,
				    const struct sim_result *res, unsigned reps,
				    double wall_s)
{
	struct sim_json *s = sim_json_new_obj();
	const struct sim_json **bodies = calloc(reps ? reps : 1, sizeof *bodies);
	if (!s || !bodies) {
		free(bodies);
		sim_json_free(s);
		return NULL;
	}
	uint64_t events = 0;
	bool complete = true;
	unsigned nb = 0;
	const struct sim_result *first_stop = NULL;
	for (unsigned k = 0; k < reps; k++) {
		events += res[k].events;
		if (res[k].body)
			bodies[nb++] = res[k].body;
		if ((!res[k].complete || !res[k].body) && !first_stop)
			first_stop = &res[k];
		complete = complete && res[k].complete && res[k].body;
	}
	sim_json_str(s, "scenario", sc->name);
	sim_json_str(s, "variant", sc->variant);
	sim_json_num(s, "seed", (double)sc->seed);
	sim_json_num(s, "replications", reps);
	sim_json_num(s, "duration_s", sc->duration);
	sim_json_num(s, "warmup_s", sc->warmup);
	sim_json_num(s, "events", (double)events);
	sim_json_num(s, "wall_s", wall_s);
	sim_json_bool(s, "complete", complete);
	if (first_stop) {
		sim_json_str(s, "stopped", first_stop->why[0] ? first_stop->why : "out of memory");
		sim_json_num(s, "stopped_at_s", first_stop->end_s);
	}
	struct sim_json *agg = NULL;
	const struct sim_json *src = NULL;
	if (nb == 1)
		src = bodies[0];
	else if (nb > 1)
		src = agg = sim_json_aggregate(bodies, nb, share_keys, keep_keys);
	for (const struct sim_json *m = src ? src->first : NULL; m; m = m->next)
		sim_json_copy_into(s, m);
	sim_json_free(agg);
	free(bodies);
	if ((nb > 1 && !agg) || sim_json_failed(s)) {
		sim_json_free(s);
		return NULL;
	}
	return s;
}

/* Writes through a temporary file renamed into place. */
typedef void writer_fn(FILE *f, const void *what);

static int write_atomic(const char *dir, const char *name, writer_fn *fn, const void *what)
{
	char path[4096], tmp[4200];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	snprintf(tmp, sizeof tmp, "%s.tmp%ld", path, (long)getpid());
	FILE *f = fopen(tmp, "w");
	if (!f) {
		fprintf(stderr, "sim: cannot write %s: %s\n", path, strerror(errno));
		return -1;
	}
	fn(f, what);
	int err = ferror(f);
	if (fclose(f) != 0 || err) {
		fprintf(stderr, "sim: cannot write %s: %s\n", path, strerror(errno ? errno : EIO));
		remove(tmp);
		return -1;
	}
	if (rename(tmp, path) < 0) {
		fprintf(stderr, "sim: cannot write %s: %s\n", path, strerror(errno));
		remove(tmp);
		return -1;
	}
	return 0;
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
		     const struct sim_result *res, unsigned reps)
{
	if (sim_mkdirs(dir) < 0) {
		fprintf(stderr, "sim: cannot create %s: %s\n", dir, strerror(errno));
		return -1;
	}
	if (write_atomic(dir, "summary.json", write_json, summary) < 0)
		return -1;
	if (reps == 1)
		return write_atomic(dir, "timeseries.csv", write_csv, &res[0].series);

	const struct sim_series **all = calloc(reps, sizeof *all);
	if (!all)
		return -1;
	for (unsigned k = 0; k < reps; k++)
		all[k] = &res[k].series;
	struct sim_series mean;
	int r = sim_series_mean(&mean, all, reps);
	free(all);
	if (r < 0 || write_atomic(dir, "timeseries.csv", write_csv, &mean) < 0) {
		sim_series_fini(&mean);
		return -1;
	}
	sim_series_fini(&mean);
	for (unsigned k = 0; k < reps; k++) {
		char sub[4200];
		snprintf(sub, sizeof sub, "%s/reps/%u", dir, k + 1);
		if (sim_mkdirs(sub) < 0) {
			fprintf(stderr, "sim: cannot create %s: %s\n", sub, strerror(errno));
			return -1;
		}
		if (write_atomic(sub, "timeseries.csv", write_csv, &res[k].series) < 0)
			return -1;
	}
	return 0;
}
