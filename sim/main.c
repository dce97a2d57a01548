/* main.c - the `sim` command line: run, check, help, version (their
 * texts: sim/usage.c).
 *
 * Exit status: 0 success; 1 the run failed or stopped early (I/O, a
 * resource limit); 2 usage or scenario error, or an output folder the run
 * may not take (in use by another run, or not written by sim); 3 an
 * expectation (`expect:`) was not met, every output written; 130/143
 * interrupted by SIGINT/SIGTERM (outputs so far written, marked
 * incomplete).
 */
#include <gsl/gsl_errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sim/atomic.h"
#include "sim/boundary.h"
#include "sim/cfg.h"
#include "sim/engine.h"
#include "sim/expect.h"
#include "sim/output.h"
#include "sim/registry.h"
#include "sim/report.h"
#include "sim/runner.h"
#include "sim/scenario.h"
#include "sim/compare.h"
#include "sim/mpijob.h"
#include "sim/study.h"
#include "sim/units.h"
#include "sim/usage.h"

#ifndef SIM_VERSION
#define SIM_VERSION "0.1.0"
#endif

#define MAX_SETS 256
#define MAX_VARIES 8
#define MAX_REPS 100000
#define MAX_JOBS 1024
#define STR_(x) #x
#define STR(x) STR_(x)

struct opts {
	const char *cmd, *scenario, *variant, *out, *variants, *junit;
	const char *criterion, *tol, *level, *budget;	/* boundary, as written */
	const char *varies[MAX_VARIES];
	size_t nvaries;
	const char *sets[MAX_SETS];
	size_t nsets;
	bool has_seed, quiet, no_plots, svg, strict;
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

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("sim: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fputs(sim_usage, stderr);
	return 2;
}

/* A whole number from min to max for option opt; a usage error if not. */
static int parse_uint(const char *opt, const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	uint64_t v;
	const char *why = sim_parse_count(s, &v);
	if (why || v < min || v > max) {
		fprintf(stderr, "sim: bad value '%s' for %s (expected a whole number from %llu to %llu)\n",
			s, opt, (unsigned long long)min, (unsigned long long)max);
		fputs(sim_usage, stderr);
		return -1;
	}
	*out = v;
	return 0;
}

/* Sets the field of o that option name (with its value val, NULL for a
 * flag) stands for; 0, or 2 after a usage message. */
static int apply_option(const char *name, const char *val, struct opts *o)
{
	uint64_t v;
	if (!strcmp(name, "--no-plots"))
		o->no_plots = true;
	else if (!strcmp(name, "--svg"))
		o->svg = true;
	else if (!strcmp(name, "--quiet"))
		o->quiet = true;
	else if (!strcmp(name, "--strict"))
		o->strict = true;
	else if (!strcmp(name, "--variant"))
		o->variant = val;
	else if (!strcmp(name, "--out"))
		o->out = val;
	else if (!strcmp(name, "--junit")) {
		if (!*val)	/* found before the runs, not after them */
			return usage_error("option '--junit' needs a file name");
		o->junit = val;
	}
	else if (!strcmp(name, "--variants"))
		o->variants = val;
	else if (!strcmp(name, "--criterion"))
		o->criterion = val;
	else if (!strcmp(name, "--tol"))
		o->tol = val;
	else if (!strcmp(name, "--level"))
		o->level = val;
	else if (!strcmp(name, "--budget"))
		o->budget = val;
	else if (!strcmp(name, "--vary")) {
		if (o->nvaries == MAX_VARIES)
			return usage_error("too many --vary options (at most %s)", STR(MAX_VARIES));
		o->varies[o->nvaries++] = val;
	}
	else if (!strcmp(name, "--set")) {
		if (o->nsets == MAX_SETS)
			return usage_error("too many --set options (at most %s)", STR(MAX_SETS));
		o->sets[o->nsets++] = val;
	} else if (!strcmp(name, "--seed")) {
		if (parse_uint(name, val, 0, UINT64_C(9007199254740992), &o->seed) < 0)
			return 2;
		o->has_seed = true;
	} else if (!strcmp(name, "--reps")) {
		if (parse_uint(name, val, 1, MAX_REPS, &v) < 0)
			return 2;
		o->reps = (unsigned)v;
	} else if (!strcmp(name, "--jobs")) {
		if (parse_uint(name, val, 1, MAX_JOBS, &v) < 0)
			return 2;
		o->jobs = (unsigned)v;
	}
	return 0;
}

/* Reads the option at argv[*i] (and its value, from '=' or the next
 * argument, advancing *i) into o; 0, or 2 after a usage message. */
static int parse_option(int argc, char **argv, int *i, struct opts *o)
{
	static const char *const known[] = {
		"--variant", "--set", "--seed", "--reps", "--jobs", "--out", "--no-plots",
		"--quiet", "--help", "--version", "--variants", "--vary", "--svg", "--junit", "--strict",
		"--criterion", "--tol", "--level", "--budget", NULL,
	};
	const char *a = argv[*i];
	char name[64];
	const char *val = NULL;
	const char *eq = strchr(a, '=');
	size_t n = eq ? (size_t)(eq - a) : strlen(a);
	if (n >= sizeof name)
		return usage_error("unknown option '%s'", a);
	memcpy(name, a, n);
	name[n] = 0;
	bool flag = !strcmp(name, "--no-plots") || !strcmp(name, "--quiet") ||
		    !strcmp(name, "--svg") ||
		    !strcmp(name, "--strict");
	bool valued = !flag && (!strcmp(name, "--variant") || !strcmp(name, "--set") ||
				!strcmp(name, "--seed") || !strcmp(name, "--reps") ||
				!strcmp(name, "--jobs") || !strcmp(name, "--out") ||
				!strcmp(name, "--variants") || !strcmp(name, "--vary") ||
				!strcmp(name, "--junit") || !strcmp(name, "--criterion") ||
				!strcmp(name, "--tol") || !strcmp(name, "--level") ||
				!strcmp(name, "--budget"));
	bool boundary = !strcmp(o->cmd, "boundary");
	bool run_only = !strcmp(name, "--variant") && !boundary;
	bool compare_only = !strcmp(name, "--variants");
	bool sweep_only = !strcmp(name, "--vary") && !boundary;
	bool boundary_only = !strcmp(name, "--criterion") || !strcmp(name, "--tol") ||
			     !strcmp(name, "--level") || !strcmp(name, "--budget");
	if (!strcmp(name, "--junit") && (!strcmp(o->cmd, "check") || !strcmp(o->cmd, "boundary"))) {
		fprintf(stderr, "sim: option '%s' does not apply to '%s'\n", name, o->cmd);
		fputs(sim_usage, stderr);
		return 2;
	}
	if ((run_only && strcmp(o->cmd, "run")) || (compare_only && strcmp(o->cmd, "compare")) ||
	    (sweep_only && strcmp(o->cmd, "sweep")) || (boundary_only && !boundary)) {
		fprintf(stderr, "sim: option '%s' does not apply to '%s'\n", name, o->cmd);
		fputs(sim_usage, stderr);
		return 2;
	}
	if (!flag && !valued) {
		const char *hint = sim_suggest(name, known);
		if (hint) {
			fprintf(stderr, "sim: unknown option '%s' (did you mean '%s'?)\n", name, hint);
			fputs(sim_usage, stderr);
			return 2;
		}
		return usage_error("unknown option '%s'", name);
	}
	if (flag && eq)
		return usage_error("option '%s' takes no value", name);
	if (valued) {
		if (eq)
			val = eq + 1;
		else if (*i + 1 < argc && strncmp(argv[*i + 1], "--", 2))
			val = argv[++*i];
		else if (*i + 1 < argc)	/* never takes the next option as its value */
			return usage_error("option '%s' needs a value, got the option '%s' (write %s=VALUE if the value starts with --)",
					   name, argv[*i + 1], name);
		else
			return usage_error("option '%s' needs a value", name);
	}
	return apply_option(name, val, o);
}

static int parse_args(int argc, char **argv, struct opts *o)
{
	o->reps = strcmp(argv[1], "boundary") ? 1 : 10;	/* a share needs several */
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	o->jobs = cpus > 0 ? (unsigned)cpus : 1;
	if (sim_mpi_size() > 1)	/* a rank per core: one replication each */
		o->jobs = 1;
	o->cmd = argv[1];
	for (int i = 2; i < argc; i++) {
		char *a = argv[i];
		if (a[0] != '-' || !a[1]) {
			if (o->scenario)
				return usage_error("unexpected argument '%s'", a);
			o->scenario = a;
			continue;
		}
		int r = parse_option(argc, argv, &i, o);
		if (r)
			return r;
	}
	if (!o->scenario)
		return usage_error("%s needs a scenario file", o->cmd);
	return 0;
}

/* Prints the warnings of variant v that the baseline sc has not (unless
 * quiet); how many. */
static size_t variant_warnings(const struct opts *o, const struct sim_scenario *sc,
			       const struct sim_scenario *v)
{
	size_t n = 0;
	for (size_t i = 0; i < v->nwarnings; i++) {
		size_t k = 0;
		while (k < sc->nwarnings && strcmp(sc->warnings[k], v->warnings[i]))
			k++;
		if (k < sc->nwarnings)
			continue;
		if (o->strict || !o->quiet)
			fprintf(stderr, "%s\n%s: note: in variant '%s'\n", v->warnings[i], o->scenario,
				v->variant);
		n++;
	}
	return n;
}

/* Loads the scenario and every variant, reporting what is wrong in any;
 * 2 if anything is, else 0 (the baseline in *out if out). */
static int check_all(const struct opts *o, struct sim_scenario **out)
{
	struct sim_diag diag;
	sim_diag_init(&diag, stderr);
	struct sim_load_opts lo = { .sets = o->sets, .nsets = o->nsets };
	struct sim_scenario *sc = sim_scenario_load(o->scenario, &lo, &diag);
	if (!sc)
		return 2;
	int bad = study_check_metrics(sc, &diag) > 0;
	for (size_t i = 0; i < sc->nwarnings && (o->strict || !o->quiet); i++)
		fprintf(stderr, "%s\n", sc->warnings[i]);
	size_t warned = sc->nwarnings;
	for (size_t i = 0; i < sc->nvariants; i++) {
		lo.variant = sc->variants[i];
		struct sim_scenario *v = sim_scenario_derive(sc, &lo, &diag);
		if (!v || study_check_metrics(v, &diag)) {
			/* past the cap of errors, no more notes either */
			sim_diag_note(&diag, o->scenario, 0, 0, "in variant '%s'", sc->variants[i]);
			bad = 1;
		} else {
			warned += variant_warnings(o, sc, v);
		}
		sim_scenario_free(v);
	}
	if (o->strict && warned) {
		fprintf(stderr, "sim: %zu warning%s, which --strict makes errors\n", warned,
			warned == 1 ? "" : "s");
		bad = 1;
	}
	if (out && !bad)
		*out = sc;
	else
		sim_scenario_free(sc);
	return bad ? 2 : 0;
}

static int cmd_check(const struct opts *o)
{
	struct sim_scenario *sc = NULL;
	if (check_all(o, &sc))
		return 2;
	if (!o->quiet) {
		printf("%s: ok: scenario '%s', %zu components, %zu classes, variants: baseline",
		       o->scenario, sc->name, sc->ncomps, sc->nclasses);
		for (size_t i = 0; i < sc->nvariants; i++)
			printf(", %s", sc->variants[i]);
		printf("\n");
	}
	sim_scenario_free(sc);
	return 0;
}

static struct study_opts study_opts_of(const struct opts *o)
{
	return (struct study_opts){
		.scenario = o->scenario, .sets = o->sets, .nsets = o->nsets,
		.has_seed = o->has_seed, .seed = o->seed, .reps = o->reps, .jobs = o->jobs,
		.quiet = o->quiet, .no_plots = o->no_plots, .svg = o->svg, .interrupt = &interrupted,
		.junit = o->junit,
	};
}

static void catch_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sim_atomic_ignore_sigxfsz();	/* past ulimit -f: EFBIG, reported */
}

static int cmd_run(const struct opts *o)
{
	if (check_all(o, NULL))	/* a broken variant is found before any run */
		return 2;
	struct study_opts so = study_opts_of(o);
	catch_signals();
	struct study_run r;
	int rc = study_run(&so, o->variant, NULL, 0, o->out, o->junit ? &r : NULL);
	if (o->junit && r.summary) {
		const char *names[] = { r.sc->variant };
		const struct sim_json *sums[] = { r.summary };
		if (sim_expect_junit(o->junit, r.sc->name, names, sums, 1) < 0)
			rc = rc ? rc : 1;	/* the writer said why */
	}
	if (o->junit)
		study_run_fini(&r);
	return rc;
}

static int sim_main(int argc, char **argv)
{
	gsl_set_error_handler_off();
	if (argc < 2) {
		fputs(sim_usage, stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		fputs(sim_help, stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("sim %s\n", SIM_VERSION);
		return 0;
	}
	if (strcmp(argv[1], "run") && strcmp(argv[1], "check") && strcmp(argv[1], "compare") &&
	    strcmp(argv[1], "sweep") && strcmp(argv[1], "boundary")) {
		static const char *const cmds[] = { "run", "check", "compare", "sweep", "boundary",
						    "--help", "--version", NULL };
		const char *hint = sim_suggest(argv[1], cmds);
		if (hint)
			fprintf(stderr, "sim: unknown command '%s' (did you mean '%s'?)\n", argv[1], hint);
		else
			fprintf(stderr, "sim: unknown command '%s'\n", argv[1]);
		fputs(sim_usage, stderr);
		return 2;
	}
	for (int i = 2; i < argc; i++)
		if (!strcmp(argv[i], "--help")) {
			fputs(sim_help, stdout);
			return 0;
		}
	struct opts o = { 0 };
	int r = parse_args(argc, argv, &o);
	if (r)
		return r;
	if (!strcmp(o.cmd, "check"))
		return cmd_check(&o);
	if (!strcmp(o.cmd, "run"))
		return cmd_run(&o);
	if (check_all(&o, NULL))	/* every variant, and the warnings */
		return 2;
	struct study_opts so = study_opts_of(&o);
	catch_signals();
	if (!strcmp(o.cmd, "compare"))
		return sim_compare(&so, o.variants, o.out);
	if (!strcmp(o.cmd, "boundary")) {
		struct sim_boundary_args ba = {
			.varies = o.varies, .nvaries = o.nvaries, .variant = o.variant,
			.criterion = o.criterion, .tol = o.tol, .level = o.level, .budget = o.budget,
			.out = o.out,
		};
		return sim_boundary(&so, &ba);
	}
	return sim_sweep(&so, o.varies, o.nvaries, o.out);
}

/* Under MPI every rank starts here: rank 0 goes on as one process would,
 * the others serve it (sim/mpijob.h). */
int main(int argc, char **argv)
{
	if (sim_mpi_start(&argc, &argv) < 0)
		return 1;
	if (sim_mpi_rank() > 0)
		return sim_mpi_serve();
	int rc = sim_main(argc, argv);
	sim_mpi_stop();
	return rc;
}
