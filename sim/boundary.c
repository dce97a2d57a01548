/* boundary.c - `sim boundary`: the options checked, the searches run
 * point by point, each point a study run of its own; see boundary.h.
 * The invariant: every point in b->pts was judged from a run that
 * finished (or read back from a previous search with the same inputs),
 * and boundary.csv in the staging folder lists them after each one. */
#include "sim/boundary.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sim/boundary_private.h"
#include "sim/columns.h"
#include "sim/cfg.h"
#include "sim/outdir.h"
#include "sim/output.h"
#include "sim/units.h"

#define LINES 5		/* values of the second key */
#define SET_LEN 600

/* ---- the options --------------------------------------------------------- */

static int bad_option(const char *name, const char *val, const char *want)
{
	fprintf(stderr, "sim: error: bad value '%s' for %s (expected %s)\n", val, name, want);
	return 2;
}

/* --tol, --level, --budget into b; 0 or 2. */
static int parse_options(struct bnd *b)
{
	b->tol = 0.05;
	b->level = 0.5;
	b->budget = b->nkeys == 2 ? 500 : 200;
	const struct sim_boundary_args *a = b->a;
	uint64_t budget;
	if (a->tol && (sim_parse_number(a->tol, &b->tol) || !(b->tol >= 1e-4 && b->tol < 1)))
		return bad_option("--tol", a->tol, "a relative width from 0.0001 to below 1, e.g. 0.05");
	if (a->level && (sim_parse_number(a->level, &b->level) || !(b->level > 0 && b->level < 1)))
		return bad_option("--level", a->level, "a share of replications above 0 and below 1, e.g. 0.5");
	if (a->budget) {
		if (sim_parse_count(a->budget, &budget) || budget < 1 || budget > 10000000)
			return bad_option("--budget", a->budget, "a number of runs from 1 to 10000000");
		b->budget = (size_t)budget;
	}
	return 0;
}

/* --criterion: a column; when not one of the criteria it becomes the only
 * one (with the defaults of `report.recovery`).  0 or 2. */
static int check_criterion(struct bnd *b)
{
	const char *m = b->a->criterion;
	if (!m)
		return 0;
	for (size_t i = 0; i < b->sc->report.ncrit; i++)
		if (!strcmp(b->sc->report.crit[i].metric, m))
			return 0;
	struct sim_series cols;
	sim_series_init(&cols);
	if (sim_columns(b->sc, &cols) < 0) {
		sim_series_fini(&cols);
		fprintf(stderr, "sim: out of memory\n");
		return 1;
	}
	int found = sim_series_find(&cols, m) >= 0;
	const char **names = calloc(cols.ncols + 1, sizeof *names);
	for (size_t i = 0; names && i < cols.ncols; i++)
		names[i] = cols.names[i];
	const char *hint = found || !names ? NULL : sim_suggest(m, names);
	if (!found) {
		fprintf(stderr, "%s: error: --criterion '%s' is not a time-series column of the scenario%s%s%s (criteria:",
			b->o->scenario, m, hint ? " (did you mean '" : "", hint ? hint : "",
			hint ? "'?)" : "");
		for (size_t i = 0; i < b->sc->report.ncrit; i++)
			fprintf(stderr, "%s %s", i ? "," : "", b->sc->report.crit[i].metric);
		fprintf(stderr, ")\n");
	}
	free(names);
	sim_series_fini(&cols);
	b->criterion_added = found;
	return found ? 0 : 2;
}

/* ---- the searches -------------------------------------------------------- */

/* The values of the second key, one search each: LINES of them (fewer
 * for a whole-number key with fewer values), evenly spaced (by ratio over
 * a range spanning more than a decade above 0).  Not drawn from the
 * budget: a search run again with a larger one reuses every point. */
static int plan_lines(struct bnd *b)
{
	size_t m = 1;
	if (b->nkeys == 2) {
		m = LINES;
		const struct bnd_key *k = &b->key[1];
		if (k->whole && k->hi - k->lo + 1 < (double)m)
			m = (size_t)(k->hi - k->lo + 1);
	}
	b->lines = calloc(m, sizeof *b->lines);
	if (!b->lines) {
		fprintf(stderr, "sim: out of memory\n");
		return 1;
	}
	b->nlines = m;
	const struct bnd_key *k = &b->key[1];
	bool ratio = k->lo > 0 && k->hi / k->lo > 10;
	for (size_t i = 0; b->nkeys == 2 && i < m; i++) {
		double f = (double)i / (double)(m - 1);
		double x = ratio ? k->lo * pow(k->hi / k->lo, f) : k->lo + f * (k->hi - k->lo);
		if (i > 0 && i + 1 < m && x != 0) {	/* inner values: 3 significant digits */
			double unit = pow(10, floor(log10(fabs(x))) - 2);
			x = round(x / unit) * unit;
		}
		b->lines[i].x2 = bnd_value_set(k, x, b->lines[i].value2);
	}
	if (b->budget / m >= 2 * (size_t)b->o->reps)
		return 0;
	fprintf(stderr, "sim: error: --budget %zu runs cannot pay for the two ends of %zu search%s at %u replications a point (at least %zu runs)\n",
		b->budget, m, m == 1 ? "" : "es", b->o->reps, 2 * m * (size_t)b->o->reps);
	return 2;
}

/* FNV-1a over the inputs a point's outcome depends on: the scenario's
 * bytes, the variant, every --set, the seed, the criterion and the keys
 * (not the ranges, the tolerance, the level or the budget: a search with
 * other ones reuses the points they share). */
static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *c = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ c[i]) * 1099511628211u;
	return h;
}

static uint64_t fnv_str(uint64_t h, const char *s)
{
	return fnv(h, s ? s : "", (s ? strlen(s) : 0) + 1);
}

static int fingerprint(struct bnd *b)
{
	size_t len;
	struct sim_diag diag;
	sim_diag_init(&diag, stderr);
	char *text = sim_node_read(b->o->scenario, &len, &diag);
	if (!text)
		return 1;
	uint64_t h = fnv(14695981039346656037u, text, len);
	free(text);
	h = fnv_str(h, "sim boundary 1");
	h = fnv_str(h, b->a->variant);
	for (size_t i = 0; i < b->o->nsets; i++)
		h = fnv_str(h, b->o->sets[i]);
	h = fnv(h, &b->sc->seed, sizeof b->sc->seed);
	h = fnv_str(h, b->a->criterion);
	for (size_t k = 0; k < b->nkeys; k++) {
		h = fnv_str(h, b->key[k].name);
		h = fnv(h, &b->key[k].how, sizeof b->key[k].how);
		h = fnv(h, &b->key[k].whole, sizeof b->key[k].whole);
	}
	snprintf(b->inputs_hash, sizeof b->inputs_hash, "%016llx", (unsigned long long)h);
	return 0;
}

/* The points of the previous search in the target, when it had the same
 * inputs (its boundary.json says). */
static void read_previous(struct bnd *b)
{
	char path[4200], want[64];
	snprintf(path, sizeof path, "%s/boundary.json", b->target);
	size_t len;
	struct sim_diag quiet;
	sim_diag_init(&quiet, NULL);
	char *prev = sim_node_read(path, &len, &quiet);
	snprintf(want, sizeof want, "\"inputs_hash\": \"%s\"", b->inputs_hash);
	if (prev && strstr(prev, want))
		bnd_points_read(b, b->target);
	else if (prev && !b->o->quiet)
		fprintf(stderr, "sim: note: %s is from another scenario, variant, --set, seed, criterion or keys: its points are not reused\n",
			path);
	free(prev);
}

struct eval_ctx {
	struct bnd *b;
	const struct bnd_line *line;
	struct study_opts point;	/* nested, quiet, no charts */
	const char *criterion_set;	/* NULL, or report.recovery=[...] */
};

/* A point this search ran already, or the previous one did (its folder
 * then moved into the new one): 1 with *p filled, else 0. */
static int known_point(struct bnd *b, struct bnd_point *p, const char *sub)
{
	for (size_t i = 0; i < b->npts; i++) {
		bool same = true;
		for (size_t k = 0; k < b->nkeys && same; k++)
			same = !strcmp(b->pts[i].value[k], p->value[k]);
		if (same && b->pts[i].n == b->o->reps) {
			*p = b->pts[i];
			return 1;
		}
	}
	const struct bnd_point *old = bnd_points_find(b, p, b->o->reps);
	if (!old)
		return 0;
	char from[4400], to[4400];
	snprintf(from, sizeof from, "%s/points/%s", b->target, sub);
	snprintf(to, sizeof to, "%s/points/%s", b->staging, sub);
	rename(from, to);	/* without it the point's own run is gone, not its row */
	double x[2] = { p->x[0], p->x[1] };
	*p = *old;
	p->x[0] = x[0];
	p->x[1] = x[1];
	b->reused++;
	return 1;
}

static int run_point(struct eval_ctx *c, struct bnd_point *p, const char *sub)
{
	struct bnd *b = c->b;
	char sets[3][SET_LEN], where[4400], shown[4400];
	const char *extra[3];
	size_t n = 0;
	for (size_t k = 0; k < b->nkeys; k++) {
		snprintf(sets[n], SET_LEN, "%s=%s", b->key[k].name, p->value[k]);
		extra[n] = sets[n];
		n++;
	}
	if (c->criterion_set)
		extra[n++] = c->criterion_set;
	snprintf(where, sizeof where, "%s/points/%s", b->staging, sub);
	snprintf(shown, sizeof shown, "%s/points/%s", b->target, sub);
	struct study_spec spec = { .variant = b->a->variant, .sets = extra, .nsets = n,
				   .dir = where, .shown = shown };
	struct study_run run;
	int rc = study_run_spec(&c->point, &spec, &run);
	if (rc == 3 || (rc == 1 && run.summary))
		rc = 0;	/* expectations are not the question; a limit is judged */
	if (!rc)
		bnd_judge(&run, b->criterion_added ? NULL : b->a->criterion, b->o->reps, p);
	study_run_fini(&run);
	return rc;
}

static int eval_point(void *ctx, double x, struct sim_bisect_point *out)
{
	struct eval_ctx *c = ctx;
	struct bnd *b = c->b;
	struct bnd_point p = { .median_s = NAN };
	p.x[0] = bnd_value_set(&b->key[0], x, p.value[0]);
	if (b->nkeys == 2) {
		p.x[1] = c->line->x2;
		snprintf(p.value[1], BND_VALUE_LEN, "%s", c->line->value2);
	}
	char sub[400];
	bnd_point_folder(b, &p, sub, sizeof sub);
	int rc = known_point(b, &p, sub) ? 0 : run_point(c, &p, sub);
	if (rc)
		return rc;
	if (bnd_points_add(b, &p) < 0 || bnd_points_write(b, b->staging) < 0)
		return 1;
	if (!b->o->quiet) {
		fprintf(stderr, "sim: %s = %s%s%s%s%s: %u of %u recovered%s%s\n", b->key[0].name,
			p.value[0], b->nkeys == 2 ? ", " : "", b->nkeys == 2 ? b->key[1].name : "",
			b->nkeys == 2 ? " = " : "", b->nkeys == 2 ? p.value[1] : "", p.k, p.n,
			p.stopped ? " (some stopped by a limit)" : "", p.reused ? " (read back)" : "");
	}
	out->x = p.x[0];
	out->n = p.n;
	out->k = p.k;
	return 0;
}

/* Runs every search; the exit status of the first that stops. */
static int search_all(struct bnd *b)
{
	char crit[SET_LEN];
	struct eval_ctx c = { .b = b, .point = *b->o };
	c.point.quiet = c.point.nested = c.point.no_plots = true;
	c.point.junit = NULL;
	if (b->criterion_added) {
		snprintf(crit, sizeof crit, "report.recovery=[{metric: '");
		for (const char *s = b->a->criterion; *s && strlen(crit) + 8 < sizeof crit; s++) {
			size_t len = strlen(crit);
			crit[len] = *s;
			crit[len + 1] = 0;
			if (*s == '\'')
				strcat(crit, "'");
		}
		strcat(crit, "'}]");
		c.criterion_set = crit;
	}
	struct sim_bisect_opts so = {
		.lo = b->key[0].lo, .hi = b->key[0].hi, .tol = b->tol, .level = b->level,
		.reps = b->o->reps, .budget = b->budget / b->nlines, .whole = b->key[0].whole,
	};
	for (size_t i = 0; i < b->nlines; i++) {
		c.line = &b->lines[i];
		int rc = sim_bisect_run(&so, eval_point, &c, &b->lines[i].res);
		if (rc)
			return rc;
		b->lines[i].done = true;
	}
	return 0;
}

/* ---- the command ---------------------------------------------------------- */

/* Everything checked before any folder is touched: 0 or the status. */
static int prepare(struct bnd *b)
{
	const struct sim_boundary_args *a = b->a;
	if (!a->nvaries || a->nvaries > 2) {
		fprintf(stderr, "sim: error: boundary needs %s --vary KEY=LO..HI (the trigger; a second one maps a region), got %zu\n",
			a->nvaries ? "one or two" : "a", a->nvaries);
		return 2;
	}
	b->nkeys = a->nvaries;
	for (size_t k = 0; k < b->nkeys; k++)
		if (bnd_key_parse(a->varies[k], b->o->scenario, &b->key[k]))
			return 2;
	if (b->nkeys == 2 && !strcmp(b->key[0].name, b->key[1].name)) {
		fprintf(stderr, "sim: error: --vary names '%s' twice\n", b->key[0].name);
		return 2;
	}
	int rc = parse_options(b);
	if (rc)
		return rc;
	b->sc = bnd_load(b, NULL, 0, stderr);
	if (!b->sc)
		return 2;
	for (size_t k = 0; k < b->nkeys && !rc; k++)
		rc = bnd_key_check(b, &b->key[k]);
	if (!rc)
		rc = check_criterion(b);
	unsigned sure = sim_bisect_sure_reps(b->level);
	if (!rc && b->o->reps < sure && !b->o->quiet)
		fprintf(stderr, "sim: note: with %u replication%s a point, no point can be sure of its side of %g%% (it takes %u): the 95%% interval will reach beyond the range; raise --reps\n",
			b->o->reps, b->o->reps == 1 ? "" : "s", 100 * b->level, sure);
	if (!rc)
		rc = plan_lines(b);
	if (!rc)
		rc = fingerprint(b);
	return rc;
}

static void bnd_fini(struct bnd *b)
{
	sim_scenario_free(b->sc);
	free(b->pts);
	free(b->old);
	free(b->lines);
}

int sim_boundary(const struct study_opts *o, const struct sim_boundary_args *a)
{
	struct bnd b = { .o = o, .a = a };
	int rc = prepare(&b);
	if (rc) {
		bnd_fini(&b);
		return rc;
	}
	if (a->out)
		snprintf(b.target, sizeof b.target, "%s", a->out);
	else
		snprintf(b.target, sizeof b.target, "out/%s", b.sc->name);
	size_t end = strlen(b.target);
	while (end > 1 && b.target[end - 1] == '/')
		b.target[--end] = 0;
	read_previous(&b);
	struct sim_outdir od;
	rc = sim_outdir_open(&od, b.target, "boundary");
	if (rc) {
		bnd_fini(&b);
		return rc;
	}
	snprintf(b.staging, sizeof b.staging, "%s", od.staging);
	char points[4200];
	snprintf(points, sizeof points, "%s/points", b.staging);
	if (sim_mkdirs(points) < 0) {
		fprintf(stderr, "sim: cannot create '%s': %s\n", points, strerror(errno));
		rc = 1;
	}
	if (!rc)
		rc = search_all(&b);
	bool interrupted = rc >= 128;
	if ((!rc || interrupted) && bnd_write(&b, b.staging, interrupted) < 0)
		rc = rc ? rc : 1;
	if (sim_outdir_commit(&od, rc == 0) < 0 && !rc)
		rc = 1;
	if (!o->quiet && b.reused)
		fprintf(stderr, "sim: %zu point%s read back from the previous %s/boundary.csv, not run again\n",
			b.reused, b.reused == 1 ? "" : "s", b.target);
	if (interrupted)
		fprintf(stderr, "sim: interrupted: the %zu point%s run so far are in %s/boundary.csv; run the same command again to go on from there\n",
			b.npts, b.npts == 1 ? "" : "s", b.target);
	if (!rc && !o->quiet)
		bnd_print(&b, stdout, b.target);
	bnd_fini(&b);
	return rc;
}
