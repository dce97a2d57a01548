/* runs.c - the queries a database is running, in a binary heap by finish
 * time on the database's virtual work clock, a part of the database
 * model.  Each item's index + 1 is kept in item->tag, so a call that
 * times out while running is found and taken out in O(log n).
 */
#include "models/runs.h"

static void place(struct mdl_runs *h, size_t i, struct mdl_run r)
{
	h->v[i] = r;
	r.item->tag = i + 1;
}

static void sift_up(struct mdl_runs *h, size_t i)
{
	struct mdl_run r = h->v[i];
	while (i > 0 && h->v[(i - 1) / 2].finish_v > r.finish_v) {
		place(h, i, h->v[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
	place(h, i, r);
}

static void sift_down(struct mdl_runs *h, size_t i)
{
	struct mdl_run r = h->v[i];
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= h->n)
			break;
		if (c + 1 < h->n && h->v[c + 1].finish_v < h->v[c].finish_v)
			c++;
		if (h->v[c].finish_v >= r.finish_v)
			break;
		place(h, i, h->v[c]);
		i = c;
	}
	place(h, i, r);
}

struct sim_item *mdl_runs_remove(struct mdl_runs *h, size_t i)
{
	struct sim_item *it = h->v[i].item;
	h->n--;
	if (i < h->n) {
		h->v[i] = h->v[h->n];
		sift_down(h, i);
		sift_up(h, i);
	}
	it->tag = 0;
	return it;
}

void mdl_runs_push(struct mdl_runs *h, double finish_v, struct sim_item *it)
{
	h->v[h->n] = (struct mdl_run){ finish_v, it };
	h->n++;
	sift_up(h, h->n - 1);
}
