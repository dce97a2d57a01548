/* main.c - the `sim` command line: run, check, help, version.
 *
 * Exit status: 0 success; 1 the run failed or stopped early (I/O, a
 * resource limit); 2 usage or scenario error; 130/143 interrupted by
 * SIGINT/SIGTERM (outputs so far written, marked incomplete).
 */
#include <errno.h>
#include <gsl/gsl_errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "plots/charts.h"
#include "sim/cfg.h"
#include "sim/engine.h"
#include "sim/output.h"
#include "sim/registry.h"
#include "sim/report.h"
#include "sim/runner.h"
#include "sim/scenario.h"
#include "sim/units.h"

#ifndef SIM_VERSION
#define SIM_VERSION "0.1.0"
#endif

#define MAX_SETS 256

static const char usage[] =
	"usage: sim run SCENARIO.yaml [--variant V] [--set K=V]... [--seed N] [--reps N]\n"
	"               [--jobs N] [--out DIR] [--no-plots] [--quiet]\n"
	"       sim check SCENARIO.yaml\n"
	"       sim --help | --version\n";

static const char help[] =
	"sim - a discrete-event simulator of overload and backpressure\n"
	"\n"
	"Commands:\n"
	"  run SCENARIO.yaml     simulate, write summary.json and timeseries.csv,\n"
	"                        and print the key figures\n"
	"  check SCENARIO.yaml   validate the scenario and every variant, run nothing\n"
	"\n"
	"Options of run:\n"
	"  --variant V           apply the overrides of variant V (default: baseline)\n"
	"  --set COMP.KEY=VALUE  override one value (repeatable); VALUE is YAML,\n"
	"                        e.g. --set db.service='{dist: exponential, mean: 5ms}'\n"
	"  --seed N              base random seed (default: the scenario's, else 1)\n"
	"  --reps N              independent replications (default 1); numbers in\n"
	"                        summary.json become {mean, ci95, n}\n"
	"  --jobs N              replications run in parallel (default: CPUs);\n"
	"                        outputs are identical for any N\n"
	"  --out DIR             output folder (default: out/<scenario name>)\n"
	"  --no-plots            write no charts\n"
	"  --quiet               print nothing on success\n"
	"\n"
	"Exit status: 0 success, 1 run failed or stopped early, 2 usage or\n"
	"scenario error, 130/143 interrupted.\n";

struct opts {
	const char *cmd, *scenario, *variant, *out;
	const char *sets[MAX_SETS];
	size_t nsets;
	bool has_seed, quiet, no_plots;
	uint64_t seed;
	unsigned reps, jobs;
};

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	if (interrupted) {
		signal(sig, SIG_DFL);
		raise(sig);	/* second signal: leave at once */
		return;
	}
	interrupted = sig;
}

static int usage_error(const char *fmt, const char *arg)
{
	fputs("sim: ", stderr);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	fputs(usage, stderr);
	return 2;
}

static int parse_uint(const char *opt, const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v;
	if (sim_parse_count(s, &v) || v > max) {
		fprintf(stderr, "sim: bad value '%s' for %s (expected a whole number up to %llu)\n",
			s, opt, (unsigned long long)max);
		return -1;
	}
	*out = v;
	return 0;
}

static int parse_args(int argc, char **argv, struct opts *o)
{
	static const char *const known[] = {
		"--variant", "--set", "--seed", "--reps", "--jobs", "--out", "--no-plots",
		"--quiet", "--help", "--version", NULL,
	};
	o->reps = 1;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	o->jobs = cpus > 0 ? (unsigned)cpus : 1;
	o->cmd = argv[1];
	for (int i = 2; i < argc; i++) {
		char *a = argv[i];
		if (a[0] != '-' || !a[1]) {
			if (o->scenario)
				return usage_error("unexpected argument '%s'", a);
			o->scenario = a;
			continue;
		}
		char name[64];
		const char *val = NULL;
		const char *eq = strchr(a, '=');
		size_t n = eq ? (size_t)(eq - a) : strlen(a);
		if (n >= sizeof name)
			return usage_error("unknown option '%s'", a);
		memcpy(name, a, n);
		name[n] = 0;
		bool flag = !strcmp(name, "--no-plots") || !strcmp(name, "--quiet");
		bool valued = !flag && (!strcmp(name, "--variant") || !strcmp(name, "--set") ||
					!strcmp(name, "--seed") || !strcmp(name, "--reps") ||
					!strcmp(name, "--jobs") || !strcmp(name, "--out"));
		if (!flag && !valued) {
			const char *hint = sim_suggest(name, known);
			if (hint) {
				fprintf(stderr, "sim: unknown option '%s' (did you mean '%s'?)\n", name, hint);
				fputs(usage, stderr);
				return 2;
			}
			return usage_error("unknown option '%s'", name);
		}
		if (flag && eq)
			return usage_error("option '%s' takes no value", name);
		if (valued) {
			if (eq)
				val = eq + 1;
			else if (i + 1 < argc)
				val = argv[++i];
			else
				return usage_error("option '%s' needs a value", name);
		}
		uint64_t v;
		if (!strcmp(name, "--no-plots"))
			o->no_plots = true;
		else if (!strcmp(name, "--quiet"))
			o->quiet = true;
		else if (!strcmp(name, "--variant"))
			o->variant = val;
		else if (!strcmp(name, "--out"))
			o->out = val;
		else if (!strcmp(name, "--set")) {
			if (o->nsets == MAX_SETS)
				return usage_error("too many --set options (at most %s)", "256");
			o->sets[o->nsets++] = val;
		} else if (!strcmp(name, "--seed")) {
			if (parse_uint(name, val, UINT64_C(9007199254740992), &o->seed) < 0)
				return 2;
			o->has_seed = true;
		} else if (!strcmp(name, "--reps")) {
			if (parse_uint(name, val, 100000, &v) < 0 || v == 0)
				return v == 0 ? usage_error("--reps must be at least 1, got '%s'", val) : 2;
			o->reps = (unsigned)v;
		} else if (!strcmp(name, "--jobs")) {
			if (parse_uint(name, val, 1024, &v) < 0 || v == 0)
				return v == 0 ? usage_error("--jobs must be at least 1, got '%s'", val) : 2;
			o->jobs = (unsigned)v;
		}
	}
	if (!o->scenario)
		return usage_error("%s needs a scenario file", o->cmd);
	return 0;
}

/* Items alive at once, per replication: half of physical memory shared by
 * the replications running together, at about 128 bytes an item (the item,
 * its slot in a queue, and room for the queue to double). */
static uint64_t default_max_items(unsigned jobs)
{
	long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
	if (pages <= 0 || size <= 0)
		return 50000000;
	double mem = (double)pages * (double)size;
	return (uint64_t)(mem / 2 / 128 / (jobs ? jobs : 1));
}

static double wall_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Report metrics name time-series columns, which exist once a run is
 * built: build one and check.  Returns the number of errors. */
static int check_metrics(const struct sim_scenario *sc, struct sim_diag *diag)
{
	struct sim_engine *e = sim_engine_new(sc, 1, NULL);
	if (!e) {
		fprintf(stderr, "sim: out of memory\n");
		return 1;
	}
	int errors = sim_report_check(&sc->report, sim_engine_series(e), diag);
	sim_engine_free(e);
	return errors;
}

static int cmd_check(const struct opts *o)
{
	struct sim_diag diag;
	sim_diag_init(&diag, stderr);
	struct sim_load_opts lo = { .sets = o->sets, .nsets = o->nsets };
	struct sim_scenario *sc = sim_scenario_load(o->scenario, &lo, &diag);
	if (!sc)
		return 2;
	int bad = check_metrics(sc, &diag) > 0;
	for (size_t i = 0; i < sc->nvariants; i++) {
		lo.variant = sc->variants[i];
		struct sim_scenario *v = sim_scenario_load(o->scenario, &lo, &diag);
		if (!v || check_metrics(v, &diag)) {
			fprintf(stderr, "%s: note: in variant '%s'\n", o->scenario, sc->variants[i]);
			bad = 1;
		}
		sim_scenario_free(v);
	}
	if (!bad && !o->quiet) {
		printf("%s: ok: scenario '%s', %zu components, %zu classes, variants: baseline",
		       o->scenario, sc->name, sc->ncomps, sc->nclasses);
		for (size_t i = 0; i < sc->nvariants; i++)
			printf(", %s", sc->variants[i]);
		printf("\n");
	}
	sim_scenario_free(sc);
	return bad ? 2 : 0;
}

static int cmd_run(const struct opts *o)
{
	struct sim_diag diag;
	sim_diag_init(&diag, stderr);
	struct sim_load_opts lo = {
		.variant = o->variant, .sets = o->sets, .nsets = o->nsets,
		.has_seed = o->has_seed, .seed = o->seed,
	};
	struct sim_scenario *sc = sim_scenario_load(o->scenario, &lo, &diag);
	if (!sc)
		return 2;
	if (check_metrics(sc, &diag)) {
		sim_scenario_free(sc);
		return 2;
	}

	char dir[4096];
	if (o->out)
		snprintf(dir, sizeof dir, "%s", o->out);
	else
		snprintf(dir, sizeof dir, "out/%s", sc->name);
	if (sim_mkdirs(dir) < 0 || access(dir, W_OK) < 0) {
		fprintf(stderr, "sim: cannot write to output folder '%s': %s\n", dir, strerror(errno));
		sim_scenario_free(sc);
		return 1;
	}

	struct sigaction sa = { .sa_handler = on_signal };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	unsigned jobs = o->jobs < o->reps ? o->jobs : o->reps;
	struct sim_limits limits = {
		.max_items = default_max_items(jobs),
		.interrupt = &interrupted,
	};
	struct sim_result *res = calloc(o->reps, sizeof *res);
	if (!res) {
		fprintf(stderr, "sim: out of memory\n");
		sim_scenario_free(sc);
		return 1;
	}
	double t0 = wall_now();
	int failed = sim_run_reps(sc, o->reps, jobs, &limits, res);
	double wall = wall_now() - t0;

	int rc = 0;
	struct sim_json *summary = sim_output_summary(sc, res, o->reps, wall);
	if (!summary || failed) {
		fprintf(stderr, "sim: out of memory\n");
		rc = 1;
	}
	if (summary && sim_output_write(dir, summary, res, o->reps) < 0)
		rc = 1;
	if (summary && rc == 0) {
		struct sim_series mean;
		const struct sim_series *series = &res[0].series;
		const struct sim_series **all = calloc(o->reps, sizeof *all);
		bool have_mean = false;
		if (o->reps > 1 && all) {
			for (unsigned k = 0; k < o->reps; k++)
				all[k] = &res[k].series;
			have_mean = sim_series_mean(&mean, all, o->reps) == 0;
			if (have_mean)
				series = &mean;
		}
		free(all);
		if (plots_write(dir, sc, summary, series, !o->no_plots) < 0)
			rc = 1;
		if (have_mean)
			sim_series_fini(&mean);
	}
	if (summary && !o->quiet)
		sim_output_print(stdout, sc, summary, dir);
	const struct sim_json *complete = summary ? sim_json_get(summary, "complete", NULL) : NULL;
	if (summary && complete && !complete->b) {
		const struct sim_json *why = sim_json_get(summary, "stopped", NULL);
		fprintf(stderr, "sim: run stopped early: %s; outputs so far are in %s/ (marked \"complete\": false)\n",
			why && why->str ? why->str : "?", dir);
		rc = 1;
	}
	for (unsigned k = 0; k < o->reps; k++)
		if (res[k].body && !res[k].conserved) {
			fprintf(stderr, "sim: internal error: conservation violated in replication %u (created != completed + dropped + in flight); please report this scenario\n",
				k + 1);
			rc = 1;
		}
	for (unsigned k = 0; k < o->reps; k++)
		sim_result_fini(&res[k]);
	free(res);
	sim_json_free(summary);
	sim_scenario_free(sc);
	if (interrupted)
		return 128 + interrupted;
	return rc;
}

int main(int argc, char **argv)
{
	gsl_set_error_handler_off();
	if (argc < 2) {
		fputs(usage, stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		fputs(help, stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("sim %s\n", SIM_VERSION);
		return 0;
	}
	if (strcmp(argv[1], "run") && strcmp(argv[1], "check")) {
		if (!strcmp(argv[1], "compare") || !strcmp(argv[1], "sweep")) {
			fprintf(stderr, "sim: '%s' is not available in this version yet; use 'sim run --variant V' per variant\n",
				argv[1]);
			return 2;
		}
		static const char *const cmds[] = { "run", "check", "compare", "sweep", NULL };
		const char *hint = sim_suggest(argv[1], cmds);
		if (hint)
			fprintf(stderr, "sim: unknown command '%s' (did you mean '%s'?)\n", argv[1], hint);
		else
			fprintf(stderr, "sim: unknown command '%s'\n", argv[1]);
		fputs(usage, stderr);
		return 2;
	}
	for (int i = 2; i < argc; i++)
		if (!strcmp(argv[i], "--help")) {
			fputs(help, stdout);
			return 0;
		}
	struct opts o = { 0 };
	int r = parse_args(argc, argv, &o);
	if (r)
		return r;
	return !strcmp(o.cmd, "check") ? cmd_check(&o) : cmd_run(&o);
}
