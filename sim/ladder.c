/* ladder.c - a ladder queue without its bottom rung (see ladder.h).
 *
 * Events live in lists of chunks: Top, an unsorted list of everything at
 * or after top_start, and up to LADDER_RUNGS rungs of buckets; events at
 * infinity (or NaN) wait apart, in Last, and come out last, together: a
 * bucket's width is finite, and one such event among the others would
 * put them all in one bucket.  Rung 0
 * splits what Top held when it was last emptied, and reaches beyond its
 * last event by LADDER_AHEAD_SPANS times its span, in buckets as fine:
 * events pushed meanwhile fall into those buckets directly instead of
 * passing through Top (in a steady calendar a quarter of them still do,
 * instead of half).  Rung r + 1 splits one bucket of rung r that held
 * more than LADDER_SPLIT events.  Each rung covers [lo, hi): hi is the lo
 * of the rung above it (top_start for rung 0), and the finest rung takes
 * everything below its hi.  A bucket small enough leaves through a
 * counting sort on time (drain_sorted).
 *
 * Invariant: a bucket index is a monotone function of time, so every
 * event in bucket k is earlier than every event in a later bucket, and a
 * rung's events are all earlier than those of coarser rungs and of Top.
 * The bound given with a batch is computed exactly (the first double that
 * maps to a later bucket), never estimated, so no event is ever on the
 * wrong side of it whatever the rounding.
 *
 * Memory traffic is what a large calendar costs, so the layout is for the
 * cache: a list appends into the free end of its last chunk, and a rung
 * has at most LADDER_BUCKETS buckets, whose last chunks stay cached
 * together however many events wait.  Every event is written into a
 * chunk in order and read back in order, a line at a time, with no
 * pointer to chase per event.  Chunks freed by a drain are reused first,
 * while they are still cached.
 */
#include "sim/ladder.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define LADDER_RUNGS 8
#define LADDER_SPLIT 512	/* a bucket with more events than this is split */
#define LADDER_BUCKETS 1024	/* buckets of a rung, at most */
#define LADDER_TOP_SPLIT 16	/* events per bucket, on average, of a rung 0 */
#define LADDER_PER_BUCKET 192	/* the same of a finer rung */
#define LADDER_AHEAD_SPANS 3	/* rung 0 reaches past Top's last event by this
				 * many times Top's span */
#define LADDER_CHUNK 32		/* events per chunk: 1 KiB, sixteen lines */
#define NIL UINT32_MAX

struct ladder_chunk {
	struct sim_event ev[LADDER_CHUNK];
};

/* A list of events: chunks head .. tail, all full but the tail. */
struct ladder_list {
	uint32_t head, tail;
	uint32_t n;		/* events */
	double min, max;	/* their earliest and latest times; +inf and -inf
				 * when empty */
};

static const struct ladder_list empty_list = { 0, 0, 0, INFINITY, -INFINITY };

struct ladder_rung {
	struct ladder_list *b;
	size_t nb, cur;		/* buckets in use; the first not yet taken */
	double start, scale;	/* bucket of t: (t - start) * scale */
	double lo, hi;		/* [lo, hi): its times; the finest takes all below hi */
};

struct sim_ladder {
	struct ladder_chunk *chunk;
	uint32_t *next;		/* the chunk after each, in its list or the free list */
	size_t cap, used;	/* chunks allocated; ever handed out */
	uint32_t free;
	size_t count;		/* events held */
	struct ladder_list top;
	double top_start;
	struct ladder_list last;	/* events at infinity or NaN */
	struct ladder_rung rung[LADDER_RUNGS];
	size_t nrungs;
};

struct sim_ladder *sim_ladder_new(void)
{
	struct sim_ladder *l = calloc(1, sizeof *l);
	if (!l)
		return NULL;
	l->free = NIL;
	l->top = l->last = empty_list;
	l->top_start = -INFINITY;
	for (size_t r = 0; r < LADDER_RUNGS; r++) {
		l->rung[r].b = malloc(LADDER_BUCKETS * sizeof *l->rung[r].b);
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
	free(l->chunk);
	free(l->next);
	free(l);
}

/* Every list but the one being split holds at most one chunk that is not
 * full, and there are at most 2 + LADDER_RUNGS * LADDER_BUCKETS lists:
 * 8 MiB of chunks at the least, of which the pages never written hold no
 * memory (chunks are handed out in order, freed ones first). */
int sim_ladder_reserve(struct sim_ladder *l, size_t n)
{
	size_t lists = 2 + LADDER_RUNGS * LADDER_BUCKETS;
	if (n >= (size_t)NIL - lists * LADDER_CHUNK)
		return -1;
	size_t want = n / LADDER_CHUNK + lists + 2;
	if (want <= l->cap)
		return 0;
	size_t cap = l->cap ? l->cap : 1024;
	while (cap < want)
		cap *= 2;
	struct ladder_chunk *chunk = aligned_alloc(64, cap * sizeof *chunk);
	uint32_t *next = realloc(l->next, cap * sizeof *next);
	if (next)
		l->next = next;
	if (!chunk || !next) {
		free(chunk);
		return -1;
	}
	if (l->used)
		memcpy(chunk, l->chunk, l->used * sizeof *chunk);
	free(l->chunk);
	l->chunk = chunk;
	l->cap = cap;
	return 0;
}

size_t sim_ladder_count(const struct sim_ladder *l)
{
	return l->count;
}

/* ---- lists -------------------------------------------------------------- */

static uint32_t chunk_get(struct sim_ladder *l)
{
	uint32_t c = l->free;
	if (c != NIL) {
		l->free = l->next[c];
		return c;
	}
	assert(l->used < l->cap);
	return (uint32_t)l->used++;
}

static void chunk_put(struct sim_ladder *l, uint32_t c)
{
	l->next[c] = l->free;
	l->free = c;
}

/* ev by value: a caller that has just built it passes it in registers
 * (a copy through memory would wait on the stores that wrote it). */
static inline void append(struct sim_ladder *l, struct ladder_list *b, struct sim_event ev)
{
	uint32_t k = b->n % LADDER_CHUNK;
	double t = ev.time;
	b->min = t < b->min ? t : b->min;
	b->max = t > b->max ? t : b->max;
	if (k == 0) {
		uint32_t c = chunk_get(l);
		if (b->n)
			l->next[b->tail] = c;
		else
			b->head = c;
		b->tail = c;
	}
	l->chunk[b->tail].ev[k] = ev;
	b->n++;
}

/* A walk over a list's chunks.  With put, each chunk goes back to put's
 * free list as the walk leaves it, so that the walker may append to other
 * lists meanwhile with no more room than the events need.  The chunks are
 * scattered: the walk asks for them LADDER_AHEAD chunks before it reads
 * them, the time of a read from memory. */
struct ladder_walk {
	uint32_t c, left, m;
	uint32_t ahead, nahead;	/* the next chunk to ask for; chunks left to ask for */
	struct sim_ladder *put;
};

#define LADDER_AHEAD 6

static inline void walk_ahead(const struct sim_ladder *l, struct ladder_walk *w)
{
	if (!w->nahead)
		return;
	for (size_t i = 0; i < sizeof(struct ladder_chunk); i += 64)
		__builtin_prefetch((const char *)l->chunk[w->ahead].ev + i);
	if (--w->nahead)
		w->ahead = l->next[w->ahead];
}

static struct ladder_walk walk_of(const struct sim_ladder *l, const struct ladder_list *b,
				  struct sim_ladder *put)
{
	struct ladder_walk w = { b->head, b->n, 0, b->head,
				 (b->n + LADDER_CHUNK - 1) / LADDER_CHUNK, put };
	for (int k = 0; k < LADDER_AHEAD; k++)
		walk_ahead(l, &w);
	return w;
}

/* The events of the walk's next chunk, from *ev; 0 at the end. */
static inline uint32_t walk_next(const struct sim_ladder *l, struct ladder_walk *w,
				 const struct sim_event **ev)
{
	if (w->m) {
		uint32_t c = w->c;
		w->left -= w->m;
		w->c = l->next[c];
		if (w->put)
			chunk_put(w->put, c);
		walk_ahead(l, w);
	}
	w->m = w->left < LADDER_CHUNK ? w->left : LADDER_CHUNK;
	*ev = w->m ? l->chunk[w->c].ev : NULL;
	return w->m;
}

/* ---- buckets ------------------------------------------------------------ */

/* The bucket of t, t not earlier than the rung's events already taken.
 * Monotone in t: IEEE subtraction and multiplication round monotonically. */
static size_t bucket_of(const struct ladder_rung *g, double t)
{
	double x = (t - g->start) * g->scale;
	if (!(x >= (double)(int64_t)g->cur))
		return g->cur;
	/* cur and nb are at most LADDER_BUCKETS, and x is converted only
	 * below nb: signed conversions, one instruction each (an unsigned one
	 * takes a branch and several) */
	return x < (double)(int64_t)g->nb ? (size_t)(int32_t)x : g->nb - 1;
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

/* ---- inserting ---------------------------------------------------------- */

void sim_ladder_insert(struct sim_ladder *l, double time, uint64_t seq, void *item,
		       uint32_t comp, uint32_t kind)
{
	assert(seq != 0);
	struct sim_event ev = { time, seq, item, comp, kind };
	l->count++;
	double t = time;
	if (!(t < INFINITY)) {
		append(l, &l->last, ev);
		return;
	}
	if (t >= l->top_start || !l->nrungs) {
		append(l, &l->top, ev);
		return;
	}
	size_t r = 0;
	while (r + 1 < l->nrungs && t < l->rung[r].lo)
		r++;
	struct ladder_rung *g = &l->rung[r];
	append(l, &g->b[bucket_of(g, t)], ev);
}

/* ---- taking ------------------------------------------------------------- */

/* Spreads the list b over nb buckets of rung r, which will cover times
 * from b's earliest to top, below hi.  False, touching nothing, when the
 * times are too close to split. */
static bool spawn(struct sim_ladder *l, size_t r, struct ladder_list b, size_t nb, double top,
		  double hi)
{
	double min = b.min;
	nb = nb < LADDER_BUCKETS ? nb : LADDER_BUCKETS;
	double scale = (double)nb / (top - min);
	if (!(min < b.max) || !(scale < INFINITY))
		return false;
	struct ladder_rung *g = &l->rung[r];
	*g = (struct ladder_rung){ g->b, nb, 0, min, scale, -INFINITY, hi };
	for (size_t k = 0; k < nb; k++)
		g->b[k] = empty_list;
	const struct sim_event *ev;
	uint32_t m;
	for (struct ladder_walk w = walk_of(l, &b, l); (m = walk_next(l, &w, &ev));)
		for (uint32_t i = 0; i < m; i++)
			append(l, &g->b[bucket_of(g, ev[i].time)], ev[i]);
	l->nrungs = r + 1;
	return true;
}

/* Copies the list b into out and frees its chunks. */
static size_t drain(struct sim_ladder *l, struct ladder_list b, struct sim_event *out)
{
	size_t n = 0;
	const struct sim_event *ev;
	uint32_t m;
	for (struct ladder_walk w = walk_of(l, &b, l); (m = walk_next(l, &w, &ev)); n += m)
		for (uint32_t i = 0; i < m; i++)	/* a few events: no call */
			out[n + i] = ev[i];
	l->count -= n;
	return n;
}

/* The same for a bucket of at most LADDER_SPLIT events, in order of time
 * but for events within b.n-th of its span of each other: a counting sort
 * over b.n slices of [b.min, b.max], read twice from the cache.  The
 * calendar's sort of the batch then finds it nearly in order (an
 * insertion sort of random order mispredicts a branch an event). */
static size_t drain_sorted(struct sim_ladder *l, struct ladder_list b, struct sim_event *out)
{
	double scale = (double)b.n / (b.max - b.min);
	if (b.n < 3 || !(b.min < b.max) || !(scale < INFINITY))
		return drain(l, b, out);
	assert(b.n <= LADDER_SPLIT);
	uint16_t at[LADDER_SPLIT + 1];	/* events in the slices before */
	uint16_t slice[LADDER_SPLIT];	/* of each event */
	memset(at, 0, (b.n + 1) * sizeof at[0]);
	const struct sim_event *ev;
	uint32_t m, n = 0;
	for (struct ladder_walk w = walk_of(l, &b, NULL); (m = walk_next(l, &w, &ev)); n += m)
		for (uint32_t i = 0; i < m; i++) {
			double x = (ev[i].time - b.min) * scale;
			uint32_t k = x < (double)(int32_t)b.n ? (uint32_t)x : b.n - 1;
			slice[n + i] = (uint16_t)k;
			at[k + 1]++;
		}
	for (uint32_t k = 1; k < b.n; k++)
		at[k] += at[k - 1];
	n = 0;
	for (struct ladder_walk w = walk_of(l, &b, l); (m = walk_next(l, &w, &ev)); n += m)
		for (uint32_t i = 0; i < m; i++)
			out[at[slice[n + i]]++] = ev[i];
	l->count -= n;
	return n;
}

/* Empties Top into a new rung 0, or into out when its times are too
 * close to split; returns the events put into out. */
static size_t take_top(struct sim_ladder *l, struct sim_event *out, double *bound)
{
	struct ladder_list b = l->top;
	double hi = nextafter(b.max, INFINITY);
	double reach = b.max + (b.max - b.min) * LADDER_AHEAD_SPANS;
	if (!(reach > hi) || !(reach < INFINITY))
		reach = hi;
	l->top = empty_list;
	size_t nb = (b.n / LADDER_TOP_SPLIT + 1) * (LADDER_AHEAD_SPANS + 1);
	if (spawn(l, 0, b, nb, reach, reach)) {
		l->top_start = reach;
		return 0;
	}
	l->top_start = hi;
	*bound = hi;
	return drain(l, b, out);
}

size_t sim_ladder_take(struct sim_ladder *l, struct sim_event *out, double *bound)
{
	for (;;) {
		if (!l->nrungs) {
			if (!l->top.n) {
				*bound = INFINITY;
				struct ladder_list b = l->last;
				l->last = empty_list;
				return drain(l, b, out);
			}
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
		struct ladder_list b = g->b[k];
		double after = bound_after(g, k);
		g->lo = after;
		if (b.n > LADDER_SPLIT && l->nrungs < LADDER_RUNGS &&
		    spawn(l, l->nrungs, b, b.n / LADDER_PER_BUCKET + 1, b.max, after))
			continue;
		*bound = after;
		return b.n <= LADDER_SPLIT ? drain_sorted(l, b, out) : drain(l, b, out);
	}
}

void sim_ladder_restart(struct sim_ladder *l)
{
	assert(l->count == 0);
	l->nrungs = 0;
	l->top = l->last = empty_list;
	l->top_start = -INFINITY;
}

static size_t list_seqs(const struct sim_ladder *l, const struct ladder_list *b, uint64_t *out)
{
	size_t n = 0;
	const struct sim_event *ev;
	uint32_t m;
	for (struct ladder_walk w = walk_of(l, b, NULL); (m = walk_next(l, &w, &ev));)
		for (uint32_t i = 0; i < m; i++)
			out[n++] = ev[i].seq;
	return n;
}

size_t sim_ladder_seqs(const struct sim_ladder *l, uint64_t *out)
{
	size_t n = list_seqs(l, &l->top, out);
	n += list_seqs(l, &l->last, out + n);
	for (size_t r = 0; r < l->nrungs; r++)
		for (size_t k = l->rung[r].cur; k < l->rung[r].nb; k++)
			n += list_seqs(l, &l->rung[r].b[k], out + n);
	return n;
}
