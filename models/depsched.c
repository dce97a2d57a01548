/* depsched.c - reading a dependency's schedule, and what it says holds.
 *
 * The schedule is known before the run, so what holds at any time is a
 * function of time: the component hears each boundary (an entry starts or
 * ends) as an event and re-reads what holds then (mdl_depsched_step).
 *
 * A slowdown F stretches work the way the database's Universal
 * Scalability Law does: work runs on a clock that advances at 1/F of real
 * time while the entry holds, so work already running when an entry
 * starts or ends is stretched only for the part of it done meanwhile.  A
 * database applies F to its own virtual clock; a worker pool, whose
 * service times do not interact, maps each service through the same
 * clock, built here once (mdl_depsched_finish), and so need not re-time
 * anything at a boundary.
 *
 * Invariant: two entries that set the same key never hold at once (the
 * loader refuses it), so each key has at most one scheduled value.
 */
#include "models/depsched.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_KEYS 8

static const char *const down_names[] = { "fail", "hang", NULL };
static const char *const pause_names[] = { "true", NULL };

/* The name of key bit k for kind (the size key is the kind's own). */
static const char *key_name(const struct mdl_depsched_kind *kind, unsigned k)
{
	switch (k) {
	case MDL_DS_SLOWDOWN: return "slowdown";
	case MDL_DS_SERVICE: return "service";
	case MDL_DS_FAILURE: return "failure";
	case MDL_DS_SIZE: return kind->size_key;
	case MDL_DS_DOWN: return "down";
	default: return "pause";
	}
}

/* Reads the value of key bit k of entry e into en; 0 or -1. */
static int read_key(struct sim_cfg *c, const struct sim_node *e, const struct mdl_depsched_kind *kind,
		    unsigned k, struct mdl_depsched_entry *en)
{
	const char *name = key_name(kind, k);
	const struct sim_node *v = sim_node_get(e, name);
	int choice = 0;
	en->set |= k;
	switch (k) {
	case MDL_DS_SLOWDOWN:
		if (sim_cfg_number_of(c, v, name, &en->slowdown, -INFINITY, 1e6) < 0)
			return -1;
		if (!(en->slowdown > 0)) {
			sim_cfg_error(c, v, "'slowdown' in %s '%s' must be above 0 (a factor: 3 runs three times slower), got '%s'",
				      c->kind, c->name, v->str);
			return -1;
		}
		return 0;
	case MDL_DS_SERVICE:
		return sim_dist_cfg(c, e, name, &en->service, 0) < 0 ? -1 : 0;
	case MDL_DS_FAILURE:
		return sim_cfg_number(c, e, name, &en->failure, 0, 1, 0) < 0 ? -1 : 0;
	case MDL_DS_SIZE:
		return sim_cfg_count(c, e, name, &en->size, 1, 1000000, 0) < 0 ? -1 : 0;
	case MDL_DS_DOWN:
		if (sim_cfg_choice(c, e, name, down_names, &choice, 0) < 0)
			return -1;
		en->down = choice == 0 ? MDL_DS_FAIL : MDL_DS_HANG;
		return 0;
	default:
		return sim_cfg_choice(c, e, name, pause_names, &choice, 0) < 0 ? -1 : 0;
	}
}

static int read_entry(struct sim_cfg *c, const struct sim_node *e, const struct mdl_depsched_kind *kind,
		      const char *const *keys, const char *shape, struct mdl_depsched_entry *en)
{
	double dur;
	if (sim_schedule_entry(c, e, shape, keys) < 0 || sim_schedule_span(c, e, &en->from, &dur) < 0)
		return -1;
	en->to = en->from + dur;
	int bad = 0;
	for (unsigned k = 1; k <= MDL_DS_PAUSE; k <<= 1)
		if ((kind->keys & k) && sim_node_get(e, key_name(kind, k)) &&
		    read_key(c, e, kind, k, en) < 0)
			bad = -1;
	if (!bad && !en->set) {
		char list[160];
		sim_join(list, sizeof list, keys + 2);
		sim_cfg_error(c, e, "a schedule entry of %s '%s' changes nothing (give one of: %s)",
			      c->kind, c->name, list);
		return -1;
	}
	return bad;
}

/* Entries that set the same key at the same time contradict each other. */
static int check_overlaps(struct sim_cfg *c, const struct sim_node *list, const struct mdl_depsched_kind *kind,
			  const struct mdl_depsched_entry *e, size_t n)
{
	for (size_t j = 1; j < n; j++) {
		for (size_t i = 0; i < j; i++) {
			unsigned both = e[i].set & e[j].set;
			if (!both || !(e[i].from < e[j].to && e[j].from < e[i].to))
				continue;
			unsigned k = both & -both;
			sim_cfg_error(c, list->kids[j], "schedule entries %zu and %zu of %s '%s' both set '%s' from %g s to %g s; entries that set the same key must not overlap",
				      i + 1, j + 1, c->kind, c->name, key_name(kind, k),
				      fmax(e[i].from, e[j].from), fmin(e[i].to, e[j].to));
			return -1;
		}
	}
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The entry setting key k that holds at t, or NULL. */
static const struct mdl_depsched_entry *holding(const struct mdl_depsched *ds, unsigned k, double t)
{
	for (size_t i = 0; i < ds->n; i++)
		if ((ds->e[i].set & k) && ds->e[i].from <= t && t < ds->e[i].to)
			return &ds->e[i];
	return NULL;
}

/* Sorted times, from each entry setting key k: its start, and its end
 * when ends is set (then pairs).  Arena memory. */
static double *times_of(struct sim_cfg *c, const struct mdl_depsched *ds, unsigned k, bool ends,
			size_t *n)
{
	double *v = sim_arena_alloc(c->arena, (2 * ds->n + 1) * sizeof *v);
	*n = 0;
	if (!v)
		return NULL;
	for (size_t i = 0; i < ds->n; i++) {
		if (!(ds->e[i].set & k))
			continue;
		v[(*n)++] = ds->e[i].from;
		if (ends)
			v[(*n)++] = ds->e[i].to;
	}
	/* pairs of entries that do not overlap sort as pairs */
	qsort(v, *n, sizeof *v, cmp_double);
	return v;
}

bool mdl_depsched_sets(const struct mdl_depsched *ds, unsigned k)
{
	for (size_t i = 0; i < ds->n; i++)
		if (ds->e[i].set & k)
			return true;
	return false;
}

/* The work clock: a piece from 0 and from each boundary on. */
static int build_warp(struct sim_cfg *c, struct mdl_depsched *ds)
{
	ds->warp = sim_arena_alloc(c->arena, (ds->nbounds + 1) * sizeof *ds->warp);
	if (!ds->warp)
		return -1;
	struct mdl_depsched_piece p = { 0, 0, 1 };
	ds->nwarp = 0;
	for (size_t i = 0; i <= ds->nbounds; i++) {
		double t = i ? ds->bounds[i - 1] : 0;
		if (i && t == 0)
			continue;
		const struct mdl_depsched_entry *h = holding(ds, MDL_DS_SLOWDOWN, t);
		p.v += (t - p.t0) / p.factor;
		p.t0 = t;
		p.factor = h ? h->slowdown : 1;
		ds->warp[ds->nwarp++] = p;
	}
	return 0;
}

/* The boundaries, the pauses, the starts of outages, the work clock. */
static int build(struct sim_cfg *c, struct mdl_depsched *ds)
{
	size_t n;
	double *b = times_of(c, ds, ~0u, true, &n);
	ds->pauses = times_of(c, ds, MDL_DS_PAUSE, true, &ds->npauses);
	ds->downs = times_of(c, ds, MDL_DS_DOWN, false, &ds->ndowns);
	if (!b || !ds->pauses || !ds->downs)
		return -1;
	ds->npauses /= 2;
	ds->bounds = b;
	ds->nbounds = 0;
	for (size_t i = 0; i < n && isfinite(b[i]); i++)
		if (!ds->nbounds || b[i] != b[ds->nbounds - 1])
			b[ds->nbounds++] = b[i];
	return mdl_depsched_sets(ds, MDL_DS_SLOWDOWN) ? build_warp(c, ds) : 0;
}

int mdl_depsched_cfg(struct sim_cfg *c, const struct sim_node *map,
		     const struct mdl_depsched_kind *kind, struct mdl_depsched *out)
{
	const char *keys[MAX_KEYS + 1] = { "at", "for" };
	size_t nk = 2;
	char shape[160] = "{at, for, ";
	for (unsigned k = 1; k <= MDL_DS_PAUSE; k <<= 1) {
		if (!(kind->keys & k))
			continue;
		keys[nk] = key_name(kind, k);
		snprintf(shape + strlen(shape), sizeof shape - strlen(shape), "%s%s",
			 nk > 2 ? " | " : "", keys[nk]);
		nk++;
	}
	snprintf(shape + strlen(shape), sizeof shape - strlen(shape), "}");
	int bad = 0;
	const struct sim_node *list = sim_schedule_list(c, map, "schedule", shape, &bad);
	*out = (struct mdl_depsched){ .kind = kind };
	if (!list || !list->n)
		return bad;
	out->e = sim_arena_alloc(c->arena, list->n * sizeof *out->e);
	if (!out->e) {
		sim_cfg_error(c, list, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < list->n; i++) {
		out->e[i] = (struct mdl_depsched_entry){ 0 };
		if (read_entry(c, list->kids[i], kind, keys, shape, &out->e[i]) < 0) {
			out->e[i].set = 0;	/* left out of the overlap checks */
			bad = -1;
		}
	}
	if (check_overlaps(c, list, kind, out->e, list->n) < 0 || bad)
		return -1;
	out->n = list->n;
	if (build(c, out) < 0) {
		sim_cfg_error(c, list, "out of memory");
		return -1;
	}
	return 1;
}

uint64_t mdl_depsched_max_size(const struct mdl_depsched *ds, uint64_t base)
{
	for (size_t i = 0; i < ds->n; i++)
		if ((ds->e[i].set & MDL_DS_SIZE) && ds->e[i].size > base)
			base = ds->e[i].size;
	return base;
}

/* ---- at run time ---------------------------------------------------------- */

static double slowdown_now(const void *state, double now)
{
	(void)now;
	return ((const struct mdl_depsched_now *)state)->slowdown;
}

static double down_now(const void *state, double now)
{
	(void)now;
	return ((const struct mdl_depsched_now *)state)->down;
}

static double paused_now(const void *state, double now)
{
	(void)now;
	return ((const struct mdl_depsched_now *)state)->pause;
}

int mdl_depsched_init(struct sim_ctx *ctx, const struct mdl_depsched *ds,
		      struct mdl_depsched_now *now, bool pauses)
{
	*now = (struct mdl_depsched_now){ .slowdown = 1, .failure = -1 };
	if (!ds->n)
		return 0;
	if (sim_track_count(ctx, &now->downs) < 0 || sim_track_count(ctx, &now->hung) < 0 ||
	    sim_probe_fn(ctx, "slowdown", slowdown_now, now) < 0 ||
	    sim_probe_fn(ctx, "down", down_now, now) < 0 ||
	    (pauses && sim_probe_fn(ctx, "paused", paused_now, now) < 0))
		return -1;
	return 0;
}

void mdl_depsched_start(struct sim_ctx *ctx, const struct mdl_depsched *ds, uint32_t kind)
{
	for (size_t i = 0; i < ds->nbounds && ds->bounds[i] <= sim_duration(ctx); i++)
		sim_schedule_at(ctx, ds->bounds[i], kind, NULL);
}

unsigned mdl_depsched_step(const struct mdl_depsched *ds, struct mdl_depsched_now *now,
			   double t)
{
	/* the counts move over unchanged: the engine tracks them where they are */
	struct mdl_depsched_now nw = { .slowdown = 1, .failure = -1, .downs = now->downs,
				       .hung = now->hung };
	for (size_t i = 0; i < ds->n; i++) {
		const struct mdl_depsched_entry *e = &ds->e[i];
		if (!(e->from <= t && t < e->to))
			continue;
		if (e->set & MDL_DS_SLOWDOWN)
			nw.slowdown = e->slowdown;
		if (e->set & MDL_DS_SERVICE)
			nw.service = &e->service;
		if (e->set & MDL_DS_FAILURE)
			nw.failure = e->failure;
		if (e->set & MDL_DS_SIZE)
			nw.size = e->size;
		if (e->set & MDL_DS_DOWN)
			nw.down = e->down;
		if (e->set & MDL_DS_PAUSE)
			nw.pause = true;
	}
	unsigned changed = (nw.slowdown != now->slowdown ? MDL_DS_SLOWDOWN : 0) |
			   (nw.service != now->service ? MDL_DS_SERVICE : 0) |
			   (nw.failure != now->failure ? MDL_DS_FAILURE : 0) |
			   (nw.size != now->size ? MDL_DS_SIZE : 0) |
			   (nw.down != now->down ? MDL_DS_DOWN : 0) |
			   (nw.pause != now->pause ? MDL_DS_PAUSE : 0);
	*now = nw;
	return changed;
}

/* The index of the last of n sorted values <= x, or n when there is none. */
static size_t last_le(const double *v, size_t n, double x)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (v[mid] <= x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? lo - 1 : n;
}

/* The last piece of the work clock starting at or before real time t
 * (by_v false) or work clock reading x (by_v true); pieces start at 0. */
static const struct mdl_depsched_piece *piece(const struct mdl_depsched *ds, bool by_v, double x)
{
	size_t lo = 0, hi = ds->nwarp;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if ((by_v ? ds->warp[mid].v : ds->warp[mid].t0) <= x)
			lo = mid;
		else
			hi = mid;
	}
	return &ds->warp[lo];
}

static double warp(const struct mdl_depsched *ds, double t0, double s)
{
	const struct mdl_depsched_piece *p = piece(ds, false, t0);
	double v = p->v + (t0 - p->t0) / p->factor + s;
	p = piece(ds, true, v);
	return p->t0 + (v - p->v) * p->factor;
}

double mdl_depsched_finish_slow(const struct mdl_depsched *ds, double t0, double s)
{
	double t = ds->nwarp ? warp(ds, t0, s) : t0 + s;
	for (;;) {	/* back-to-back pauses: the end of the last */
		size_t i = last_le(ds->pauses, 2 * ds->npauses, t);
		if (i == 2 * ds->npauses || i % 2 || t >= ds->pauses[i + 1])
			break;
		t = ds->pauses[i + 1];
	}
	size_t d = last_le(ds->downs, ds->ndowns, t0);
	d = d == ds->ndowns ? 0 : d + 1;	/* the first start after t0 */
	if (d < ds->ndowns && ds->downs[d] <= t)
		t = ds->downs[d];
	return t;
}

void mdl_depsched_json(struct sim_json *o, const struct mdl_depsched *ds,
		       const struct mdl_depsched_now *now)
{
	if (!ds->n)
		return;
	sim_json_num(o, "down_failures", (double)sim_count_value(&now->downs));
	sim_json_num(o, "hung", (double)sim_count_value(&now->hung));
}

bool mdl_depsched_window(const struct mdl_depsched *ds, double *from, double *to)
{
	if (!ds->n)
		return false;
	*from = INFINITY;
	*to = -INFINITY;
	for (size_t i = 0; i < ds->n; i++) {
		*from = fmin(*from, ds->e[i].from);
		*to = fmax(*to, ds->e[i].to);
	}
	return true;
}

/* What entry e sets, for people, into buf. */
static void span_label(const struct mdl_depsched_entry *e, const struct mdl_depsched_kind *kind,
		       char *buf, size_t size)
{
	size_t used = 0;
	buf[0] = 0;
	for (unsigned k = 1; k <= MDL_DS_PAUSE && used < size; k <<= 1) {
		if (!(e->set & k))
			continue;
		const char *sep = used ? ", " : "";
		int n;
		switch (k) {
		case MDL_DS_SLOWDOWN:
			n = snprintf(buf + used, size - used, "%sslowdown \u00d7%g", sep, e->slowdown);
			break;
		case MDL_DS_FAILURE:
			n = snprintf(buf + used, size - used, "%sfailure %g%%", sep, 100 * e->failure);
			break;
		case MDL_DS_SIZE:
			n = snprintf(buf + used, size - used, "%s%s %llu", sep, kind->size_key,
				     (unsigned long long)e->size);
			break;
		case MDL_DS_DOWN:
			n = snprintf(buf + used, size - used, "%sdown (%s)", sep,
				     e->down == MDL_DS_HANG ? "hang" : "fail");
			break;
		case MDL_DS_PAUSE:
			n = snprintf(buf + used, size - used, "%spaused", sep);
			break;
		default:
			n = snprintf(buf + used, size - used, "%s%s", sep, key_name(kind, k));
			break;
		}
		used += n > 0 ? (size_t)n : 0;
	}
}

size_t mdl_depsched_spans(const struct mdl_depsched *ds, struct sim_span *out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < ds->n && n < max; i++, n++) {
		out[n].from = ds->e[i].from;
		out[n].to = ds->e[i].to;
		span_label(&ds->e[i], ds->kind, out[n].label, sizeof out[n].label);
	}
	return n;
}
