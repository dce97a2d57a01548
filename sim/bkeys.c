/* bkeys.c - the keys of a boundary search: "KEY=LO..HI" read, and
 * checked against the scenario (numeric there, accepted at both ends,
 * whole numbers only or not, the spike a schedule entry's rate stands
 * for).  Nothing here runs a simulation. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/boundary_private.h"
#include "sim/units.h"

#define SET_LEN 600

/* Reads s the way how says; false when it does not. */
static bool read_as(enum bnd_reading how, const char *s, double *x)
{
	uint64_t count;
	switch (how) {
	case BND_NUMBER:
		return !sim_parse_number(s, x);
	case BND_RATE:
		return !sim_parse_rate(s, x);
	case BND_DURATION:
		return !sim_parse_duration(s, x);
	default:
		if (sim_parse_count(s, &count))
			return false;
		*x = (double)count;
		return true;
	}
}

/* "KEY=LO..HI" into k (name, range, reading): 0, or 2 after `error:`. */
int bnd_key_parse(const char *arg, const char *scenario, struct bnd_key *k)
{
	const char *eq = strchr(arg, '='), *dots = eq ? strstr(eq, "..") : NULL;
	if (!eq || eq == arg || !dots || dots == eq + 1 || !dots[2]) {
		fprintf(stderr, "sim: error: --vary needs KEY=LO..HI (a range, e.g. users.schedule.0.rate=1000/s..5000/s), got '%s'\n",
			arg);
		return 2;
	}
	if ((size_t)(eq - arg) >= sizeof k->name) {
		fprintf(stderr, "sim: error: --vary key longer than %zu bytes\n", sizeof k->name - 1);
		return 2;
	}
	snprintf(k->name, sizeof k->name, "%.*s", (int)(eq - arg), arg);
	char lo[128], hi[128];
	snprintf(lo, sizeof lo, "%.*s", (int)(dots - eq - 1), eq + 1);
	snprintf(hi, sizeof hi, "%s", dots + 2);
	for (enum bnd_reading how = BND_NUMBER; how <= BND_COUNT; how++) {
		if (!read_as(how, lo, &k->lo) || !read_as(how, hi, &k->hi))
			continue;
		k->how = how;
		k->whole = how == BND_COUNT;
		if (k->lo < k->hi)
			return 0;
		fprintf(stderr, "%s: error: --vary %s=%s..%s: LO must be below HI\n", scenario, k->name,
			lo, hi);
		return 2;
	}
	fprintf(stderr, "%s: error: --vary %s=%s..%s: the ends must be numbers, rates (2000/s) or durations (30s) of one kind\n",
		scenario, k->name, lo, hi);
	return 2;
}

/* The node the key names in the file (NULL: not written there, the
 * default applies): under components when its first part is one. */
static const struct sim_node *node_at(const struct sim_node *root, const char *key)
{
	char path[256];
	snprintf(path, sizeof path, "%s", key);
	const struct sim_node *comps = sim_node_get(root, "components"), *n = root;
	char *save = NULL;
	for (char *part = strtok_r(path, ".", &save); part && n; part = strtok_r(NULL, ".", &save)) {
		if (n == root && comps && sim_node_get(comps, part))
			n = comps;
		if (n->type == SIM_NODE_MAP) {
			n = sim_node_get(n, part);
		} else if (n->type == SIM_NODE_SEQ) {
			char *end;
			unsigned long i = strtoul(part, &end, 10);
			n = !*end && i < n->n ? n->kids[i] : NULL;
		} else {
			n = NULL;
		}
	}
	return n;
}

/* A key whose value in the file is not a number of any kind: `error:`
 * at it, 2.  Else 0. */
static int check_numeric(const struct sim_scenario *sc, const struct bnd_key *k)
{
	const struct sim_node *n = node_at(sc->root, k->name);
	double x;
	bool numeric = !n || (n->type == SIM_NODE_SCALAR &&
			      (read_as(BND_NUMBER, n->str, &x) || read_as(BND_RATE, n->str, &x) ||
			       read_as(BND_DURATION, n->str, &x) || read_as(BND_COUNT, n->str, &x)));
	if (numeric)
		return 0;
	fprintf(stderr, "%s:%d:%d: error: --vary %s: the scenario gives %s%s%s here, not a number, rate, duration or count (boundary varies numeric keys only)\n",
		n->file ? n->file : sc->path, n->line, n->col, k->name,
		n->type == SIM_NODE_SCALAR ? "'" : "a ", n->type == SIM_NODE_SCALAR ? n->str :
		n->type == SIM_NODE_MAP ? "map" : "list", n->type == SIM_NODE_SCALAR ? "'" : "");
	return 2;
}

/* The scenario with the study's variant and --set, and extra (nextra
 * "KEY=VALUE"); errors to diag_out (NULL: none).  NULL on error. */
struct sim_scenario *bnd_load(const struct bnd *b, const char *const *extra, size_t nextra,
			      FILE *diag_out)
{
	const char *sets[512];
	size_t n = 0;
	for (size_t i = 0; i < b->o->nsets && n < 500; i++)
		sets[n++] = b->o->sets[i];
	for (size_t i = 0; i < nextra; i++)
		sets[n++] = extra[i];
	struct sim_diag diag;
	sim_diag_init(&diag, diag_out);
	struct sim_load_opts lo = { .variant = b->a->variant, .sets = sets, .nsets = n,
				    .has_seed = b->o->has_seed, .seed = b->o->seed };
	struct sim_scenario *sc = sim_scenario_load(b->o->scenario, &lo, &diag);
	if (sc && diag_out && study_check_metrics(sc, &diag)) {
		sim_scenario_free(sc);
		return NULL;
	}
	return sc;
}

/* Whether the scenario loads with key k at x; errors said when loud. */
static bool loads_at(const struct bnd *b, const struct bnd_key *k, double x, bool loud)
{
	char value[BND_VALUE_LEN], set[SET_LEN];
	bnd_value_set(k, x, value);
	snprintf(set, sizeof set, "%s=%s", k->name, value);
	const char *extra[] = { set };
	struct sim_scenario *sc = bnd_load(b, extra, 1, loud ? stderr : NULL);
	sim_scenario_free(sc);
	return sc != NULL;
}

/* For COMP.schedule.N.rate, the producer's own rate and the entry's
 * `for`, as the file has them (not when a --set changes COMP). */
static void spike_context(const struct bnd *b, struct bnd_key *k)
{
	k->base = NAN;
	k->lasting[0] = 0;
	char comp[256], entry[300];
	const char *sched = strstr(k->name, ".schedule.");
	size_t len = strlen(k->name);
	if (k->how != BND_RATE || !sched || len < 5 || strcmp(k->name + len - 5, ".rate"))
		return;
	snprintf(comp, sizeof comp, "%.*s", (int)(sched - k->name), k->name);
	for (size_t i = 0; i < b->o->nsets; i++)
		if (!strncmp(b->o->sets[i], comp, strlen(comp)) && b->o->sets[i][strlen(comp)] == '.')
			return;
	snprintf(entry, sizeof entry, "%.*s.for", (int)(len - 5), k->name);
	strcat(comp, ".rate");
	const struct sim_node *base = node_at(b->sc->root, comp), *dur = node_at(b->sc->root, entry);
	double x;
	if (base && base->type == SIM_NODE_SCALAR && !sim_parse_rate(base->str, &x) && x > 0)
		k->base = x;
	bool varied = b->nkeys == 2 && !strcmp(b->key[1].name, entry);	/* said per search */
	if (dur && dur->type == SIM_NODE_SCALAR && !sim_parse_duration(dur->str, &x) && !varied)
		snprintf(k->lasting, sizeof k->lasting, "%s", dur->str);
}

/* Checks key k against the scenario (numeric, loads at both ends) and
 * finds whether it takes whole numbers only.  0, or 2 (said). */
int bnd_key_check(struct bnd *b, struct bnd_key *k)
{
	if (check_numeric(b->sc, k))
		return 2;
	if (!loads_at(b, k, k->lo, true) || !loads_at(b, k, k->hi, true)) {
		fprintf(stderr, "%s: note: in --vary %s\n", b->o->scenario, k->name);
		return 2;
	}
	if (k->how == BND_NUMBER && k->lo == floor(k->lo) && k->hi == floor(k->hi) &&
	    !loads_at(b, k, k->lo + 0.5, false))
		k->whole = true;	/* a count, a size: whole numbers only */
	spike_context(b, k);
	return 0;
}
