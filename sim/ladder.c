/* ladder.c - a ladder queue without its bottom rung (see ladder.h).
 *
 * Events live in a pool of nodes linked into lists: Top, an unsorted list
 * of everything at or after top_start, and up to LADDER_RUNGS rungs of
 * buckets.  Rung 0 splits what Top held when it was last emptied; rung
 * r + 1 splits one bucket of rung r that held too many events.  Each rung
 * covers [lo, hi): hi is the lo of the rung above it (top_start for rung
 * 0), and the finest rung takes everything below its hi.
 *
 * Invariant: a bucket index is a monotone function of time, so every
 * event in bucket k is earlier than every event in a later bucket, and a
 * rung's events are all earlier than those of coarser rungs and of Top.
 * The bound given with a batch is computed exactly (the first double that
 * maps to a later bucket), never estimated, so no event is ever on the
 * wrong side of it whatever the rounding.
 */
#include "sim/ladder.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define LADDER_RUNGS 8
#define LADDER_SPLIT 64		/* a bucket with more events than this is split */
#define LADDER_FINE_BUCKETS 1024	/* buckets of rungs 1 and beyond */
#define LADDER_PER_BUCKET 4	/* events per bucket, on average, of a new rung */
#define NIL UINT32_MAX

struct ladder_node {
	struct sim_event ev;	/* ev.seq is 0 while the node is free */
	uint32_t next;
};

struct ladder_bucket {
	uint32_t head, n;
};

struct ladder_rung {
	struct ladder_bucket *b;
	size_t nb, cur;		/* buckets in use; the first not yet taken */
	double start, scale;	/* bucket of t: (t - start) * scale */
	double lo, hi;		/* [lo, hi): its times; the finest takes all below hi */
};

struct sim_ladder {
	struct ladder_node *node;
	size_t cap, used, count;	/* nodes allocated, ever handed out, held */
	uint32_t free;
	uint32_t top;
	size_t ntop;
	double top_start, top_min, top_max;
	struct ladder_rung rung[LADDER_RUNGS];
	size_t nrungs, cap0;	/* rungs in use; buckets allocated for rung 0 */
};

struct sim_ladder *sim_ladder_new(void)
{
	struct sim_ladder *l = calloc(1, sizeof *l);
	if (!l)
		return NULL;
	l->free = l->top = NIL;
	l->top_start = -INFINITY;
	l->top_min = INFINITY;
	l->top_max = -INFINITY;
	for (size_t r = 1; r < LADDER_RUNGS; r++) {
		l->rung[r].b = malloc(LADDER_FINE_BUCKETS * sizeof *l->rung[r].b);
		if (!l->rung[r].b)
			goto fail;
	}
	return l;
fail:
	sim_ladder_free(l);
	return NULL;
}

void sim_ladder_free(struct sim_ladder *l)
{
	if (!l)
		return;
	for (size_t r = 0; r < LADDER_RUNGS; r++)
		free(l->rung[r].b);
	free(l->node);
	free(l);
}

int sim_ladder_reserve(struct sim_ladder *l, size_t n)
{
	if (n >= NIL)
		return -1;
	if (n > l->cap) {
		size_t cap = l->cap ? l->cap : 1024;
		while (cap < n)
			cap *= 2;
		struct ladder_node *node = realloc(l->node, cap * sizeof *node);
		if (!node)
			return -1;
		l->node = node;
		l->cap = cap;
	}
	if (n > l->cap0) {
		struct ladder_bucket *b = realloc(l->rung[0].b, l->cap * sizeof *b);
		if (!b)
			return -1;
		l->rung[0].b = b;
		l->cap0 = l->cap;
	}
	return 0;
}

size_t sim_ladder_count(const struct sim_ladder *l)
{
	return l->count;
}

/* ---- buckets ------------------------------------------------------------ */

/* The bucket of t, t not earlier than the rung's events already taken.
 * Monotone in t: IEEE subtraction and multiplication round monotonically. */
static size_t bucket_of(const struct ladder_rung *g, double t)
{
	double x = (t - g->start) * g->scale;
	if (!(x >= (double)g->cur))
		return g->cur;
	return x < (double)g->nb ? (size_t)x : g->nb - 1;
}

/* The first time that falls in a bucket after k, capped at the rung's hi. */
static double bound_after(const struct ladder_rung *g, size_t k)
{
	if (k + 1 >= g->nb)
		return g->hi;
	double want = (double)(k + 1);
	double t = g->start + want / g->scale;
	while (t < g->hi && !((t - g->start) * g->scale >= want))
		t = nextafter(t, INFINITY);
	for (double p = nextafter(t, -INFINITY); (p - g->start) * g->scale >= want;
	     p = nextafter(t, -INFINITY))
		t = p;
	return t < g->hi ? t : g->hi;
}

static void link(struct sim_ladder *l, struct ladder_bucket *b, uint32_t i)
{
	l->node[i].next = b->head;
	b->head = i;
	b->n++;
}

/* ---- inserting ---------------------------------------------------------- */

void sim_ladder_insert(struct sim_ladder *l, const struct sim_event *ev)
{
	uint32_t i = l->free;
	if (i != NIL)
		l->free = l->node[i].next;
	else
		i = (uint32_t)l->used++;
	assert(l->count < l->cap && ev->seq != 0);
	l->node[i].ev = *ev;
	l->count++;
	double t = ev->time;
	if (t >= l->top_start || !l->nrungs) {
		l->node[i].next = l->top;
		l->top = i;
		l->ntop++;
		l->top_min = t < l->top_min ? t : l->top_min;
		l->top_max = t > l->top_max ? t : l->top_max;
		return;
	}
	size_t r = 0;
	while (r + 1 < l->nrungs && t < l->rung[r].lo)
		r++;
	struct ladder_rung *g = &l->rung[r];
	link(l, &g->b[bucket_of(g, t)], i);
}

/* ---- taking ------------------------------------------------------------- */

/* Spreads the list at head (n events, times in [min, max]) over rung r,
 * which will cover times below hi.  False, touching nothing, when the
 * times are too close to split. */
static bool spawn(struct sim_ladder *l, size_t r, uint32_t head, size_t n, double min,
		  double max, double hi)
{
	size_t nb = r ? LADDER_FINE_BUCKETS : l->cap0;
	size_t want = n / LADDER_PER_BUCKET + 1;
	nb = want < nb ? want : nb;
	double scale = (double)nb / (max - min);
	if (!(min < max) || !(scale < INFINITY))
		return false;
	struct ladder_rung *g = &l->rung[r];
	*g = (struct ladder_rung){ g->b, nb, 0, min, scale, -INFINITY, hi };
	for (size_t k = 0; k < nb; k++)
		g->b[k] = (struct ladder_bucket){ NIL, 0 };
	for (uint32_t i = head, next; i != NIL; i = next) {
		next = l->node[i].next;
		link(l, &g->b[bucket_of(g, l->node[i].ev.time)], i);
	}
	l->nrungs = r + 1;
	return true;
}

/* Copies the list at head into out and frees its nodes. */
static size_t drain(struct sim_ladder *l, uint32_t head, struct sim_event *out)
{
	size_t n = 0;
	for (uint32_t i = head, next; i != NIL; i = next) {
		next = l->node[i].next;
		out[n++] = l->node[i].ev;
		l->node[i].ev.seq = 0;
		l->node[i].next = l->free;
		l->free = i;
	}
	l->count -= n;
	return n;
}

/* Empties Top into a new rung 0, or into out when its times are too
 * close to split; returns the events put into out. */
static size_t take_top(struct sim_ladder *l, struct sim_event *out, double *bound)
{
	uint32_t head = l->top;
	size_t n = l->ntop;
	double min = l->top_min, max = l->top_max;
	double hi = nextafter(max, INFINITY);
	l->top = NIL;
	l->ntop = 0;
	l->top_min = INFINITY;
	l->top_max = -INFINITY;
	l->top_start = hi;
	if (spawn(l, 0, head, n, min, max, hi))
		return 0;
	*bound = hi;
	return drain(l, head, out);
}

/* The earliest and latest times in the list at head. */
static void span(const struct sim_ladder *l, uint32_t head, double *min, double *max)
{
	*min = INFINITY;
	*max = -INFINITY;
	for (uint32_t i = head; i != NIL; i = l->node[i].next) {
		double t = l->node[i].ev.time;
		*min = t < *min ? t : *min;
		*max = t > *max ? t : *max;
	}
}

size_t sim_ladder_take(struct sim_ladder *l, struct sim_event *out, double *bound)
{
	for (;;) {
		if (!l->nrungs) {
			if (!l->ntop)
				return 0;
			size_t n = take_top(l, out, bound);
			if (n)
				return n;
			continue;
		}
		struct ladder_rung *g = &l->rung[l->nrungs - 1];
		while (g->cur < g->nb && !g->b[g->cur].n)
			g->cur++;
		if (g->cur == g->nb) {
			l->nrungs--;
			continue;
		}
		size_t k = g->cur++;
		struct ladder_bucket b = g->b[k];
		double after = bound_after(g, k);
		g->lo = after;
		if (b.n > LADDER_SPLIT && l->nrungs < LADDER_RUNGS) {
			double min, max;
			span(l, b.head, &min, &max);
			if (spawn(l, l->nrungs, b.head, b.n, min, max, after))
				continue;
		}
		*bound = after;
		return drain(l, b.head, out);
	}
}

size_t sim_ladder_seqs(const struct sim_ladder *l, uint64_t *out)
{
	size_t n = 0;
	for (size_t i = 0; i < l->used; i++)
		if (l->node[i].ev.seq)
			out[n++] = l->node[i].ev.seq;
	return n;
}
