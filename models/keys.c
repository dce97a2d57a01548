/* keys.c - drawing item keys (uniform or Zipf) and naming keys.
 *
 * Zipf(s) over n keys gives key i (0-based) the share
 * (i + 1)^-s / H(n, s), H(n, s) = sum over k = 1 .. n of k^-s.  It is
 * sampled exactly by inversion: one uniform u, then the first i with
 * cum[i] > u, found by binary search of the cumulative table.  The table
 * costs 8 bytes a key, so it is bounded (MDL_KEYS_MAX_ZIPF entries).
 * A uniform key is floor(u n) with 53-bit u: its bias is below n / 2^53.
 */
#include "models/keys.h"

#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const keys[] = { "count", "dist", "exponent", NULL };
static const char *const dist_names[] = { "uniform", "zipf", NULL };

void mdl_keys_zipf_table(double *cum, uint32_t n, double s)
{
	/* summed from the largest term down would lose nothing either: the
	 * terms fall, so the running sum is never much above the term */
	double sum = 0;
	for (uint32_t i = 0; i < n; i++) {
		sum += pow((double)i + 1, -s);
		cum[i] = sum;
	}
	for (uint32_t i = 0; i < n; i++)
		cum[i] /= sum;
	cum[n - 1] = 1;
}

int mdl_keys_configure(struct sim_cfg *c, const struct sim_node *v, struct mdl_keys *k)
{
	int bad = 0;
	if (!sim_cfg_options(c, v, "keys", keys, "keys", 0, &bad))
		return -1;
	uint64_t count = 0;
	if (sim_cfg_count(c, v, "count", &count, 1, MDL_KEYS_MAX_COUNT, SIM_CFG_REQUIRED) < 0)
		bad = -1;
	if (sim_cfg_choice(c, v, "dist", dist_names, &k->dist, 0) < 0)
		bad = -1;
	const struct sim_node *e = sim_node_get(v, "exponent");
	k->exponent = 1;
	if (e && k->dist != MDL_KEYS_ZIPF) {
		sim_cfg_error(c, e, "'exponent' of the keys of %s '%s' applies to 'dist: zipf' only",
			      c->kind, c->name);
		bad = -1;
	} else if (e && sim_cfg_number(c, v, "exponent", &k->exponent, DBL_MIN, 20, 0) < 0) {
		bad = -1;
	}
	if (bad)
		return -1;
	k->count = (uint32_t)count;
	if (k->dist != MDL_KEYS_ZIPF)
		return 0;
	if (count > MDL_KEYS_MAX_ZIPF) {
		sim_cfg_error(c, sim_node_get(v, "count"),
			      "'count' of the zipf keys of %s '%s' is %llu, above the limit of %lu (the sampler keeps a table of 8 bytes a key; use dist: uniform for larger key spaces)",
			      c->kind, c->name, (unsigned long long)count,
			      (unsigned long)MDL_KEYS_MAX_ZIPF);
		return -1;
	}
	double *cum = sim_arena_alloc(c->arena, count * sizeof *cum);
	if (!cum) {
		sim_cfg_error(c, v, "out of memory");
		return -1;
	}
	mdl_keys_zipf_table(cum, k->count, k->exponent);
	k->cum = cum;
	return 0;
}

uint32_t mdl_keys_draw(const struct mdl_keys *k, gsl_rng *r)
{
	double u = gsl_rng_uniform(r);
	if (k->dist != MDL_KEYS_ZIPF) {
		uint32_t i = (uint32_t)(u * k->count);
		return i < k->count ? i : k->count - 1;
	}
	uint32_t lo = 0, hi = k->count - 1;	/* the first i with cum[i] > u */
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (k->cum[mid] > u)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

uint32_t mdl_keys_named(const char *name)
{
	uint32_t h = 2166136261u;	/* FNV-1a */
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		h = (h ^ *p) * 16777619u;
	uint32_t k = MDL_KEYS_NAMED | (h & (MDL_KEYS_NAMED - 1));
	return k == SIM_NONE ? MDL_KEYS_NAMED : k;
}

/* Whether s is a plain decimal number (a drawn key). */
static bool is_number(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

int mdl_keys_ref(struct sim_cfg *c, const struct sim_node *v, uint32_t limit,
		 const char *what, uint32_t *out)
{
	if (v->type != SIM_NODE_SCALAR || !*v->str) {
		sim_cfg_error(c, v, "expected a key name or number for %s of %s '%s', got %s", what,
			      c->kind, c->name,
			      v->type == SIM_NODE_SCALAR ? "an empty string" : sim_node_type_name(v->type));
		return -1;
	}
	if (!is_number(v->str)) {
		*out = mdl_keys_named(v->str);
		return 0;
	}
	uint64_t max = limit == UINT32_MAX ? MDL_KEYS_MAX_COUNT : limit;
	unsigned long long n = strlen(v->str) > 12 ? ULLONG_MAX : strtoull(v->str, NULL, 10);
	if (n >= max) {
		sim_cfg_error(c, v, "key %s in %s of %s '%s' is not a drawn key (keys are numbered 0 to %llu)",
			      v->str, what, c->kind, c->name, (unsigned long long)max - 1);
		return -1;
	}
	*out = (uint32_t)n;
	return 0;
}

/* ---- schedule entries with a key --------------------------------------- */

/* A copy of node n (a map or a list) with other kids: len of them,
 * making pairs entries; arena memory, NULL when out of memory. */
static struct sim_node *node_part(struct sim_cfg *c, const struct sim_node *n,
				  struct sim_node **kids, size_t len, size_t pairs)
{
	struct sim_node *copy = sim_arena_alloc(c->arena, sizeof *copy);
	struct sim_node **k = sim_arena_alloc(c->arena, (len ? len : 1) * sizeof *k);
	if (!copy || !k)
		return NULL;
	*copy = *n;
	memcpy(k, kids, len * sizeof *k);
	copy->kids = k;
	copy->n = pairs;
	return copy;
}

/* The key flow of schedule entry e (a map with `key` at pair ki): its
 * profile is the entry alone, over a rate of 0. */
static int key_flow(struct sim_cfg *c, const struct sim_node *map, const struct sim_node *e,
		    size_t ki, const struct mdl_keys *keys, struct mdl_key_flow *flows,
		    size_t max, size_t *nflows)
{
	const struct sim_node *kn = e->kids[2 * ki + 1];
	if (!keys->count) {
		sim_cfg_error(c, kn, "a schedule entry of producer '%s' targets key '%s', but the producer has no 'keys' (add e.g. keys: {count: 10000, dist: zipf, exponent: 1})",
			      c->name, kn->type == SIM_NODE_SCALAR ? kn->str : "");
		return -1;
	}
	if (*nflows == max) {
		sim_cfg_error(c, kn, "too many schedule entries with a 'key' in producer '%s' (at most %zu)",
			      c->name, max);
		return -1;
	}
	struct mdl_key_flow *f = &flows[*nflows];
	if (mdl_keys_ref(c, kn, keys->count, "'key' of a schedule entry", &f->key) < 0)
		return -1;
	f->name = kn->str;
	for (size_t j = 0; j < *nflows; j++)
		if (flows[j].key == f->key && strcmp(flows[j].name, f->name)) {
			sim_cfg_error(c, kn, "key names '%s' and '%s' in producer '%s' share a key number; rename one",
				      flows[j].name, f->name, c->name);
			return -1;
		}
	/* the entry without its `key`, alone in a schedule of its own */
	struct sim_node **pairs = sim_arena_alloc(c->arena, 2 * e->n * sizeof *pairs);
	size_t n = 0;
	for (size_t i = 0; pairs && i < e->n; i++)
		if (i != ki) {
			pairs[n++] = e->kids[2 * i];
			pairs[n++] = e->kids[2 * i + 1];
		}
	struct sim_node *entry = pairs ? node_part(c, e, pairs, n, n / 2) : NULL;
	const struct sim_node *sched = sim_node_get(map, "schedule");
	struct sim_node *one = entry ? node_part(c, sched, &entry, 1, 1) : NULL;
	struct sim_node *m = one ? sim_node_with(c->arena, map, sim_node_key(map, "schedule"), one) : NULL;
	if (!m) {
		sim_cfg_error(c, e, "out of memory");
		return -1;
	}
	if (sim_profile_cfg(c, m, "schedule", 0, &f->profile) < 0)
		return -1;
	(*nflows)++;
	return 0;
}

int mdl_keys_schedule(struct sim_cfg *c, const struct sim_node *map, double rate,
		      const struct mdl_keys *keys, struct sim_profile *own_profile,
		      struct mdl_key_flow *flows, size_t max, size_t *nflows)
{
	const struct sim_node *list = sim_node_get(map, "schedule");
	size_t nkeyed = 0;
	for (size_t i = 0; list && list->type == SIM_NODE_SEQ && i < list->n; i++)
		nkeyed += sim_node_get(list->kids[i], "key") != NULL;
	const struct sim_node *own = map;
	if (nkeyed) {
		int bad = 0;
		struct sim_node **rest = sim_arena_alloc(c->arena, list->n * sizeof *rest);
		if (!rest) {
			sim_cfg_error(c, list, "out of memory");
			return -1;
		}
		size_t n = 0;
		for (size_t i = 0; i < list->n; i++) {
			struct sim_node *e = list->kids[i];
			size_t ki = 0;
			while (e->type == SIM_NODE_MAP && ki < e->n && strcmp(e->kids[2 * ki]->str, "key"))
				ki++;
			if (e->type != SIM_NODE_MAP || ki == e->n)
				rest[n++] = e;
			else if (key_flow(c, map, e, ki, keys, flows, max, nflows) < 0)
				bad = -1;
		}
		struct sim_node *l = node_part(c, list, rest, n, n);
		own = l ? sim_node_with(c->arena, map, sim_node_key(map, "schedule"), l) : NULL;
		if (!own) {
			sim_cfg_error(c, list, "out of memory");
			return -1;
		}
		if (bad)
			return -1;
	}
	return sim_profile_cfg(c, own, "schedule", rate, own_profile);
}
