/* profile.c - building and inverting piecewise-linear rate functions. */
#include "sim/profile.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ENTRIES 10000

static double mean_gap(double rate)
{
	return rate > 0 ? 1.0 / rate : INFINITY;
}

void sim_profile_constant(struct sim_profile *p, struct sim_profile_seg *seg, double rate)
{
	seg[0] = (struct sim_profile_seg){ 0, rate, 0 };
	*p = (struct sim_profile){ .seg = seg, .n = 1, .mean_gap = mean_gap(rate) };
}

static double seg_end(const struct sim_profile *p, size_t i)
{
	return i + 1 < p->n ? p->seg[i + 1].t0 : INFINITY;
}

static size_t find(const struct sim_profile *p, double t)
{
	size_t lo = 0, hi = p->n;	/* last seg with t0 <= t */
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (p->seg[mid].t0 <= t)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

double sim_profile_rate(const struct sim_profile *p, double t)
{
	const struct sim_profile_seg *s = &p->seg[find(p, t)];
	return s->r0 + s->slope * (t - s->t0);
}

/* Segment list under construction (malloc'd, copied to the arena at the end). */
struct segs {
	struct sim_profile_seg *v;
	size_t n, cap;
};

static int reserve(struct segs *s, size_t extra)
{
	if (s->n + extra <= s->cap)
		return 0;
	size_t cap = (s->n + extra) * 2;
	struct sim_profile_seg *v = realloc(s->v, cap * sizeof *v);
	if (!v)
		return -1;
	s->v = v;
	s->cap = cap;
	return 0;
}

/* Ensures a breakpoint at t (t finite, > 0). */
static int split(struct segs *s, double t)
{
	struct sim_profile p = { .seg = s->v, .n = s->n };
	size_t i = find(&p, t);
	if (s->v[i].t0 == t)
		return 0;
	if (reserve(s, 1) < 0)
		return -1;
	memmove(&s->v[i + 2], &s->v[i + 1], (s->n - i - 1) * sizeof *s->v);
	s->v[i + 1] = (struct sim_profile_seg){
		t, s->v[i].r0 + s->v[i].slope * (t - s->v[i].t0), s->v[i].slope,
	};
	s->n++;
	return 0;
}

/* Replaces everything in [from, to) by the given pieces (sorted, first at from). */
static int replace(struct segs *s, double from, double to,
		   const struct sim_profile_seg *pieces, size_t k)
{
	if ((from > 0 && split(s, from) < 0) || (isfinite(to) && split(s, to) < 0))
		return -1;
	size_t a = 0, b;
	while (a < s->n && s->v[a].t0 < from)
		a++;
	b = a;
	while (b < s->n && s->v[b].t0 < to)
		b++;
	if (reserve(s, k) < 0)
		return -1;
	memmove(&s->v[a + k], &s->v[b], (s->n - b) * sizeof *s->v);
	memcpy(&s->v[a], pieces, k * sizeof *pieces);
	s->n = s->n - (b - a) + k;
	return 0;
}

static const char *const entry_keys[] = { "at", "for", "rate", "ramp_to", NULL };

/* One schedule entry, read: a step to rate, or a ramp to rate over dur. */
struct entry {
	double at, dur, rate;	/* seconds, seconds, per second */
	bool step;
};

/* Reads and checks schedule entry e; 0, or -1 after a diagnostic. */
static int read_entry(struct sim_cfg *c, const struct sim_node *e, struct entry *en)
{
	if (sim_schedule_entry(c, e, "{at, for, rate} or {at, for, ramp_to}", entry_keys) < 0)
		return -1;
	double at = 0, dur = INFINITY, rate = 0;
	const struct sim_node *rv = sim_node_get(e, "rate");
	const struct sim_node *tv = sim_node_get(e, "ramp_to");
	const struct sim_node *fv = sim_node_get(e, "for");
	if ((rv != NULL) == (tv != NULL)) {
		sim_cfg_error(c, e, "a schedule entry of %s '%s' needs exactly one of 'rate' (a step) or 'ramp_to' (a ramp)",
			      c->kind, c->name);
		return -1;
	}
	if (tv && !fv) {
		sim_cfg_error(c, e, "missing 'for' in a ramp of %s '%s' (how long the ramp takes)",
			      c->kind, c->name);
		return -1;
	}
	if (sim_schedule_span(c, e, &at, &dur) < 0 ||
	    sim_cfg_rate_of(c, rv ? rv : tv, rv ? "rate" : "ramp_to", &rate, 0) < 0)
		return -1;
	*en = (struct entry){ at, dur, rate, rv != NULL };
	return 0;
}

int sim_schedule_entry(struct sim_cfg *c, const struct sim_node *e, const char *shape,
		       const char *const *keys)
{
	char what[160];
	snprintf(what, sizeof what, "a schedule entry of %s '%s'", c->kind, c->name);
	if (e->type != SIM_NODE_MAP) {
		sim_cfg_error(c, e, "expected %s in the schedule of %s '%s', got %s", shape,
			      c->kind, c->name, sim_node_type_name(e->type));
		return -1;
	}
	if (sim_cfg_check_keys(c, e, keys, what) < 0)
		return -1;
	if (!sim_node_get(e, "at")) {
		sim_cfg_error(c, e, "missing 'at' in %s", what);
		return -1;
	}
	return 0;
}

int sim_schedule_span(struct sim_cfg *c, const struct sim_node *e, double *at, double *dur)
{
	const struct sim_node *fv = sim_node_get(e, "for");
	*dur = INFINITY;
	if (sim_cfg_duration_of(c, sim_node_get(e, "at"), "at", at, 0) < 0 ||
	    (fv && sim_cfg_duration_of(c, fv, "for", dur, SIM_CFG_POSITIVE) < 0))
		return -1;
	return 0;
}

const struct sim_node *sim_schedule_list(struct sim_cfg *c, const struct sim_node *map,
					 const char *key, const char *shape, int *bad)
{
	const struct sim_node *list = sim_node_get(map, key);
	if (list && list->type != SIM_NODE_SEQ) {
		sim_cfg_error(c, list, "expected a list of %s for '%s' in %s '%s', got %s", shape,
			      key, c->kind, c->name, sim_node_type_name(list->type));
		*bad = -1;
		return NULL;
	}
	if (list && list->n > MAX_ENTRIES) {
		sim_cfg_error(c, list, "too many schedule entries (%zu; at most %d)", list->n,
			      MAX_ENTRIES);
		*bad = -1;
		return NULL;
	}
	return list;
}

/* Lays entry en over the segments so far; -1 when out of memory. */
static int apply_entry(struct segs *s, const struct entry *en)
{
	double at = en->at, end = en->at + en->dur;
	if (en->step) {
		struct sim_profile_seg piece = { at, en->rate, 0 };
		return replace(s, at, end, &piece, 1);
	}
	struct sim_profile p = { .seg = s->v, .n = s->n };
	double before = at > 0 ? sim_profile_rate(&p, nextafter(at, 0)) : s->v[0].r0;
	struct sim_profile_seg pieces[2] = {
		{ at, before, (en->rate - before) / en->dur },
		{ end, en->rate, 0 },
	};
	return replace(s, at, INFINITY, pieces, 2);
}

int sim_profile_cfg(struct sim_cfg *c, const struct sim_node *map, const char *key,
		    double base, struct sim_profile *out)
{
	struct segs s = { 0 };
	int bad = 0;
	const struct sim_node *list = sim_schedule_list(c, map, key,
		"{at, for, rate} or {at, for, ramp_to}", &bad);
	if (reserve(&s, 4) < 0)
		goto oom;
	s.v[0] = (struct sim_profile_seg){ 0, base, 0 };
	s.n = 1;
	out->nspans = 0;
	out->spans = NULL;
	if (list && list->n) {
		out->spans = sim_arena_alloc(c->arena, list->n * sizeof *out->spans);
		if (!out->spans)
			goto oom;
	}
	for (size_t i = 0; list && i < list->n; i++) {
		struct entry en;
		if (read_entry(c, list->kids[i], &en) < 0) {
			bad = -1;
			continue;
		}
		out->spans[out->nspans++] = (struct sim_profile_span){ en.at, en.at + en.dur };
		if (apply_entry(&s, &en) < 0)
			goto oom;
	}
	if (bad) {
		free(s.v);
		return -1;
	}
	out->seg = sim_arena_alloc(c->arena, s.n * sizeof *out->seg);
	if (!out->seg)
		goto oom;
	memcpy(out->seg, s.v, s.n * sizeof *out->seg);
	out->n = s.n;
	out->mean_gap = mean_gap(out->seg[0].r0);
	free(s.v);
	return list ? 1 : 0;
oom:
	free(s.v);
	sim_cfg_error(c, list ? list : c->at, "out of memory");
	return -1;
}

/* Appends a piece unless it carries on a steady previous one. */
static void append(struct sim_profile_seg *v, size_t *n, struct sim_profile_seg piece)
{
	if (*n && v[*n - 1].slope == 0 && piece.slope == 0 && v[*n - 1].r0 == piece.r0)
		return;
	v[(*n)++] = piece;
}

int sim_profile_points(struct sim_cfg *c, const struct sim_node *v, const double *t,
		       const double *r, size_t n, struct sim_profile *out)
{
	struct sim_profile_seg *seg = sim_arena_alloc(c->arena, (n + 1) * sizeof *seg);
	struct sim_profile_span *span = sim_arena_alloc(c->arena, sizeof *span);
	if (!seg || !span) {
		sim_cfg_error(c, v, "out of memory");
		return -1;
	}
	size_t k = 0;
	if (t[0] > 0)
		append(seg, &k, (struct sim_profile_seg){ 0, r[0], 0 });
	for (size_t i = 0; i + 1 < n; i++) {
		if (t[i + 1] <= 0)
			continue;
		double from = fmax(0, t[i]), slope = (r[i + 1] - r[i]) / (t[i + 1] - t[i]);
		append(seg, &k, (struct sim_profile_seg){ from, r[i] + slope * (from - t[i]), slope });
	}
	append(seg, &k, (struct sim_profile_seg){ fmax(0, t[n - 1]), r[n - 1], 0 });
	*span = (struct sim_profile_span){ fmax(0, t[0]), fmax(0, t[n - 1]) };
	*out = (struct sim_profile){ .seg = seg, .n = k, .spans = span, .nspans = k > 1,
				     .mean_gap = mean_gap(seg[0].r0) };
	return 0;
}

double sim_profile_advance(const struct sim_profile *p, size_t *cursor, double t,
			   double amount)
{
	if (p->n == 1)		/* constant rate: the common case */
		return amount <= 0 ? t : t + amount * p->mean_gap;
	size_t i = *cursor;
	while (i + 1 < p->n && p->seg[i + 1].t0 <= t)
		i++;
	double left = amount;
	for (;;) {
		*cursor = i;
		const struct sim_profile_seg *s = &p->seg[i];
		double end = seg_end(p, i);
		double r = s->r0 + s->slope * (t - s->t0);
		if (r < 0)
			r = 0;
		if (left <= 0)
			return t;
		double span = end - t;
		double area = isfinite(end) ? r * span + s->slope * span * span / 2 : INFINITY;
		if (!isfinite(end) && r <= 0 && s->slope <= 0)
			return INFINITY;
		if (area >= left) {
			double tau;
			if (s->slope == 0) {
				tau = left / r;
			} else {
				double disc = r * r + 2 * s->slope * left;
				tau = 2 * left / (r + sqrt(disc > 0 ? disc : 0));
			}
			double when = t + tau;
			return when < end ? when : end;
		}
		left -= area;
		t = end;
		i++;
	}
}

double sim_profile_integral(const struct sim_profile *p, double a, double b)
{
	double sum = 0;
	for (size_t i = find(p, a); i < p->n && p->seg[i].t0 < b; i++) {
		double lo = fmax(a, p->seg[i].t0), hi = fmin(b, seg_end(p, i));
		if (hi <= lo)
			continue;
		const struct sim_profile_seg *s = &p->seg[i];
		double ra = s->r0 + s->slope * (lo - s->t0);
		double rb = s->r0 + s->slope * (hi - s->t0);
		sum += (ra + rb) / 2 * (hi - lo);
	}
	return sum;
}
