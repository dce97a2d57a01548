/* study.c - one configuration run end to end; see study.h. */
#include "sim/study.h"
#include "sim/study_phases.h"

#include <errno.h>
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plots/charts.h"
#include "plots/report.h"
#include "sim/engine.h"
#include "sim/expect.h"
#include "sim/columns.h"
#include "sim/outdir.h"
#include "sim/mpijob.h"
#include "sim/output.h"
#include "sim/progress.h"
#include "sim/terminal.h"
#include "sim/report.h"
#include "sim/runner.h"
#include "sim/units.h"

#define MAX_SETS 512

/* Memory a run may take by default: a quarter of physical memory, at
 * most 2 GiB; limits: {max_items: N} raises the item part. */
static double memory_budget(void)
{
	long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
	double two_gib = 2.0 * 1024 * 1024 * 1024;
	if (pages <= 0 || size <= 0)
		return two_gib;
	double quarter = (double)pages * (double)size / 4;
	return quarter < two_gib ? quarter : two_gib;
}

/* Items alive at once, per replication: the budget shared by the
 * replications running together (of every configuration, in compare and
 * sweep; on every rank, under MPI), at about 128 bytes an item (the item,
 * its slot in a queue, and room for the queue to double). */
static uint64_t default_max_items(unsigned jobs)
{
	return (uint64_t)(memory_budget() / 128 / (jobs ? jobs : 1));
}

/* The series go to disk as they are sampled; what stays in memory until
 * each replication ends is the columns its recovery criteria read:
 * refuses (exit 2) a run whose replications running at once would pass
 * the memory budget with them. */
static int check_series_memory(const struct sim_scenario *sc, unsigned at_once)
{
	const char **names = calloc(sc->report.ncrit + 1, sizeof *names);
	if (!names)
		return 0;	/* the run itself will say */
	double cols = (double)sim_output_kept(sc, names);
	free(names);
	double bytes = cols ? sim_scenario_rows(sc) * (cols + 1) * 8 * at_once : 0;
	double budget = memory_budget();
	if (bytes <= budget)
		return 0;
	fprintf(stderr, "%s: error: the %.0f time-series column%s that recovery reads, kept by %u replication%s at once, would take %.0f MiB (%.0f rows each; at most %.0f MiB, a quarter of memory up to 2 GiB): raise 'sample' or run fewer at once (--jobs)\n",
		sc->path, cols, cols == 1 ? "" : "s", at_once, at_once == 1 ? "" : "s",
		bytes / 1048576, sim_scenario_rows(sc), budget / 1048576);
	return 2;
}

int study_check_metrics(const struct sim_scenario *sc, struct sim_diag *diag)
{
	struct sim_series cols;
	sim_series_init(&cols);
	if (sim_columns(sc, &cols) < 0) {
		sim_series_fini(&cols);
		fprintf(stderr, "sim: out of memory\n");
		return 1;
	}
	int errors = sim_report_check(&sc->report, &cols, diag);
	errors += sim_report_check_columns(sc->columns, sc->ncolumns, &cols, diag);
	sim_series_fini(&cols);
	return errors;
}

static struct sim_scenario *load(const struct study_opts *o, const char *variant,
				 const char *const *extra, size_t nextra)
{
	const char *sets[MAX_SETS];
	size_t n = 0;
	for (size_t i = 0; i < o->nsets && n < MAX_SETS; i++)
		sets[n++] = o->sets[i];
	for (size_t i = 0; i < nextra && n < MAX_SETS; i++)
		sets[n++] = extra[i];
	struct sim_diag diag;
	sim_diag_init(&diag, stderr);
	struct sim_load_opts lo = {
		.variant = variant, .sets = sets, .nsets = n,
		.has_seed = o->has_seed, .seed = o->seed,
	};
	struct sim_scenario *sc = sim_scenario_load(o->scenario, &lo, &diag);
	if (sc && study_check_metrics(sc, &diag)) {
		sim_scenario_free(sc);
		return NULL;
	}
	return sc;
}

struct sim_scenario *study_load(const struct study_opts *o)
{
	return load(o, NULL, NULL, 0);
}

struct sim_scenario *study_load_variant(const struct study_opts *o, const char *variant)
{
	return load(o, variant, NULL, 0);
}

void study_run_fini(struct study_run *r)
{
	sim_json_free(r->summary);
	sim_json_free(r->reps);
	sim_series_fini(&r->series);
	sim_scenario_free(r->sc);
	*r = (struct study_run){ 0 };
}

/* Where the files go: dir itself when nested, else a staging folder
 * moved onto dir at the end.  0, or the exit status. */
static int open_folder(const struct study_opts *o, const char *where, struct sim_outdir *od)
{
	if (!o->nested)
		return sim_outdir_open(od, where, "run");
	*od = (struct sim_outdir){ .lock_fd = -1 };
	snprintf(od->staging, sizeof od->staging, "%s", where);
	if (sim_mkdirs(where) < 0 || access(where, W_OK) < 0) {
		fprintf(stderr, "sim: cannot write to output folder '%s': %s\n", where, strerror(errno));
		return 1;
	}
	return 0;
}

/* After a failed write the summary says the outputs are incomplete: it
 * is written again, if it can be. */
static void mark_io_error(const char *dir, struct sim_json *summary)
{
	struct sim_json *complete = sim_json_get(summary, "complete", NULL);
	if (complete)
		complete->b = false;
	if (!sim_json_get(summary, "stopped", NULL))
		sim_json_str(summary, "stopped", "I/O error: the outputs are incomplete");
	sim_output_write(dir, summary);
}

/* summary.json, the charts and report.md into dir (the series are
 * there already).  0 or -1 (after saying which file failed; the summary
 * then says incomplete). */
static int write_files(const char *dir, const struct study_opts *o, const struct sim_scenario *sc,
		       struct sim_json *summary, const struct sim_series *mean)
{
	int rc = sim_output_write(dir, summary);
	if (rc == 0 && mean->ncols)
		rc = plots_write(dir, sc, summary, mean, !o->no_plots, o->svg, o->interrupt,
				 o->charts_at_once);
	else if (rc == 0)	/* no replication finished: nothing to chart */
		rc = plots_report(dir, sc, summary,
				  &(struct plots_report_charts){ NULL, NULL, 0, 0, false,
								 o->svg ? "svg" : "png" });
	if (rc < 0)
		mark_io_error(dir, summary);
	return rc;
}

/* Each replication's completeness and recovery, before the results go;
 * NULL when out of memory. */
static struct sim_json *keep_reps(const struct sim_result *res, unsigned reps)
{
	struct sim_json *arr = sim_json_new_obj();
	struct sim_json *list = arr ? sim_json_arr(arr, "reps") : NULL;
	for (unsigned k = 0; list && k < reps; k++) {
		struct sim_json *one = sim_json_obj(list, NULL);
		const struct sim_json *rec = res[k].body ? sim_json_get(res[k].body, "recovery", NULL) : NULL;
		if (one)
			sim_json_bool(one, "complete", res[k].body && res[k].complete);
		if (one && rec)
			sim_json_copy_into(one, rec);
	}
	if (arr && sim_json_failed(arr)) {
		sim_json_free(arr);
		return NULL;
	}
	return arr;
}

/* Says which replications broke conservation (a bug) and frees the
 * results; whether any did. */
static bool finish_results(struct sim_result *res, unsigned reps)
{
	bool broken = false;
	for (unsigned k = 0; k < reps; k++) {
		if (res[k].body && !res[k].conserved) {
			fprintf(stderr, "sim: internal error: conservation violated in replication %u (created != completed + dropped + in flight); please report this scenario\n",
				k + 1);
			broken = true;
		}
		sim_result_fini(&res[k]);
	}
	free(res);
	return broken;
}

/* Says, unless quiet, what interval was chosen for a scenario without
 * `sample` whose run is too long for the default. */
static void note_sample(const struct study_opts *o, const struct sim_scenario *sc)
{
	if (o->quiet || !sc->sample_auto || sc->sample == 1)
		return;
	char every[64], dur[64];
	sim_format_duration(every, sizeof every, sc->sample);
	sim_format_duration(dur, sizeof dur, sc->duration);
	fprintf(stderr, "sim: note: %s sets no 'sample': one time-series row every %s, %.0f rows over %s (every 1 s would make %.0f; at most %d when chosen for you); set 'sample' to choose\n",
		sc->path, every, sim_scenario_rows(sc), dur, ceil(sc->duration - 1e-9),
		SIM_SCENARIO_AUTO_ROWS);
}

/* The summary and the series the charts draw (into *summary and *mean),
 * the files into dir, the streams finished.  0, or 1 (out of memory, I/O:
 * said, and the summary marked incomplete). */
static int gather(const struct study_opts *o, const struct sim_scenario *sc, struct sim_result *res,
		  struct sim_output_streams *os, double wall, bool failed, const char *dir,
		  struct sim_json **summary, struct sim_series *mean)
{
	int rc = 0;
	*summary = sim_output_summary(sc, res, o->reps, wall);
	if (*summary)
		sim_expect_judge(sc, *summary);
	bool io = sim_output_series(mean, os, res) < 0 || sim_output_streams_failed(os);
	sim_output_streams_fini(os);	/* the spills go before the folder moves */
	if (!*summary || failed) {
		fprintf(stderr, "sim: out of memory\n");
		rc = 1;
	}
	if (*summary && write_files(dir, o, sc, *summary, mean) < 0)
		rc = 1;
	else if (*summary && io)
		mark_io_error(dir, *summary);
	return io ? 1 : rc;
}

int study_begin(const struct study_opts *o, const struct study_spec *spec, struct study_state *st)
{
	*st = (struct study_state){ .spec = spec };
	atomic_init(&st->failed, 0);
	st->sc = load(o, spec->variant, spec->sets, spec->nsets);
	if (!st->sc)
		return 2;
	struct sim_scenario *sc = st->sc;
	unsigned at_once = o->at_once ? o->at_once : o->jobs < o->reps ? o->jobs : o->reps;
	if (check_series_memory(sc, at_once))
		return 2;
	note_sample(o, sc);
	if (spec->dir)
		snprintf(st->where, sizeof st->where, "%s", spec->dir);
	else
		snprintf(st->where, sizeof st->where, "out/%s", sc->name);
	int rc = open_folder(o, st->where, &st->od);
	if (rc)
		return rc;
	st->opened = true;
	st->res = calloc(o->reps, sizeof *st->res);
	int streams = sim_output_streams_init(&st->os, st->od.staging, sc, o->reps);
	st->streams = true;	/* to be finished, even half made */
	if (streams < 0 || !st->res) {
		fprintf(stderr, "sim: out of memory\n");
		return 1;
	}
	st->limits = (struct sim_limits){
		.max_items = sc->max_items ? sc->max_items : default_max_items(at_once),
		.max_events = sc->max_events,
		.max_wall_s = sc->max_wall_s,
		.interrupt = o->interrupt,
	};
	st->t0 = sim_wall_now();
	return 0;
}

void study_rep(struct study_state *st, unsigned k, _Atomic double *progress)
{
	struct sim_result *r = &st->res[k];
	if (st->limits.interrupt && *st->limits.interrupt) {
		/* stopped: the replications not begun stay empty, and say why */
		snprintf(r->why, sizeof r->why, "not run: interrupted before it began");
		return;
	}
	struct sim_limits lim = st->limits;
	lim.progress = progress;
	lim.sink = st->os.sinks[k];
	if (sim_run_one(st->sc, k + 1, &lim, r) < 0)
		atomic_store(&st->failed, 1);
	if (progress)
		atomic_store(progress, 1.0);
}

bool study_rep_on(const struct study_opts *o, struct study_state *st, unsigned k, int rank)
{
	struct sim_result *r = &st->res[k];
	if (st->limits.interrupt && *st->limits.interrupt) {
		snprintf(r->why, sizeof r->why, "not run: interrupted before it began");
		return true;
	}
	const char *sets[MAX_SETS];
	size_t n = 0;
	for (size_t i = 0; i < o->nsets && n < MAX_SETS; i++)
		sets[n++] = o->sets[i];
	for (size_t i = 0; i < st->spec->nsets && n < MAX_SETS; i++)
		sets[n++] = st->spec->sets[i];
	const struct study_spec *sp = st->spec;
	const char *name = sp->name ? sp->name : sp->label ? sp->label : sp->variant;
	char label[4600];
	snprintf(label, sizeof label, "%s%s%s", o->scenario, name ? ", " : "", name ? name : "");
	struct sim_mpi_task t = {
		.scenario = o->scenario, .variant = st->spec->variant, .sets = sets, .nsets = n,
		.has_seed = o->has_seed, .seed = o->seed, .rep = k + 1,
		.max_items = st->limits.max_items, .max_events = st->limits.max_events,
		.max_wall_s = st->limits.max_wall_s, .label = label,
	};
	if (sim_mpi_run(rank, &t, r) < 0) {
		fprintf(stderr, "sim: %s, replication %u: run here instead; MPI rank %d gets no more\n",
			label, k + 1, rank);
		study_rep(st, k, NULL);	/* the same result, computed here */
		return false;
	}
	if (sim_result_stream(r, st->os.sinks[k]) < 0)
		atomic_store(&st->failed, 1);
	return true;
}

/* What begin left when it failed with rc: undone. */
static int abandon(const struct study_opts *o, struct study_state *st, int rc)
{
	if (st->streams)
		sim_output_streams_fini(&st->os);
	free(st->res);
	if (st->opened && !o->nested)
		sim_outdir_abandon(&st->od);
	sim_scenario_free(st->sc);
	*st = (struct study_state){ 0 };
	return rc;
}

/* The figures a caller keeps, or frees. */
static void keep(struct study_state *st, struct sim_json *summary, struct sim_series *mean,
		 struct study_run *out)
{
	if (out && summary) {
		out->sc = st->sc;
		out->summary = summary;
		out->series = *mean;
		snprintf(out->dir, sizeof out->dir, "%s", st->where);
	} else {
		sim_json_free(summary);
		sim_series_fini(mean);
		sim_scenario_free(st->sc);
	}
	st->sc = NULL;
}

bool study_say_stopped(const struct sim_json *summary, const char *where)
{
	const struct sim_json *complete = sim_json_get(summary, "complete", NULL);
	if (!complete || complete->b)
		return false;
	const struct sim_json *why = sim_json_get(summary, "stopped", NULL);
	fprintf(stderr, "sim: run stopped early: %s; outputs so far are in %s/ (marked \"complete\": false)\n",
		why && why->str ? why->str : "?", where);
	return true;
}

int study_end(const struct study_opts *o, struct study_state *st, int begun, FILE *say,
	      struct study_run *out)
{
	if (out)
		*out = (struct study_run){ 0 };
	if (begun)
		return abandon(o, st, begun);
	double wall = sim_wall_now() - st->t0;
	struct sim_json *summary;
	struct sim_series mean;
	int rc = gather(o, st->sc, st->res, &st->os, wall, atomic_load(&st->failed), st->od.staging,
			&summary, &mean);
	const struct sim_json *complete = summary ? sim_json_get(summary, "complete", NULL) : NULL;
	bool whole = rc == 0 && complete && complete->b;
	if (!o->nested && sim_outdir_commit(&st->od, whole) < 0)
		rc = 1;
	if (summary && !o->quiet) {
		sim_terminal_print(say, st->sc, summary, st->where);
		sim_expect_print(say, summary);
	}
	if (complete && !complete->b) {
		if (!st->spec->stop_told)
			study_say_stopped(summary, st->spec->shown ? st->spec->shown : st->where);
		rc = 1;
	}
	struct sim_json *per_rep = out && summary ? keep_reps(st->res, o->reps) : NULL;
	if (out && summary && !per_rep) {
		fprintf(stderr, "sim: out of memory\n");
		rc = 1;
	}
	if (finish_results(st->res, o->reps))
		rc = 1;
	int unmet = summary ? sim_expect_unmet(summary) : 0;
	keep(st, summary, &mean, out);
	if (out && out->summary)
		out->reps = per_rep;
	if (o->interrupt && *o->interrupt)
		return 128 + *o->interrupt;
	if (rc == 0 && unmet) {
		if (!o->nested)	/* else the comparison says it, once */
			fprintf(stderr, "sim: %d expectation%s not met (see %s/report.md)\n", unmet,
				unmet == 1 ? "" : "s", st->where);
		return 3;
	}
	return rc;
}
