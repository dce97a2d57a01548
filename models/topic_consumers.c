/* topic_consumers.c - handing a topic's items out to its consumer group
 * (models/group.c): which item of which partition a consumer may take
 * next, batches of a partition's items, and their release.  A part of
 * the `topic` model (models/topic.c); its state is struct topic
 * (models/topic_private.h).
 *
 * With the default `ordering: partition` a partition has at most one
 * batch in service (one item, or a pool's batch of its items) and its
 * next item is handed out only once that completes (sim_release): order
 * is kept per partition.  A batch (pull_more) takes further items of its
 * first item's partition, and with `by: key` only while they carry its
 * key.  With `ordering: key` the workers beyond the partition count are
 * threads of the consumers, and a consumer may hold several batches of
 * its partitions at once, as long as no two hold items of the same key:
 * it takes the oldest item among the first 64 of a partition whose key
 * is not in service (items without a key conflict with none).  So order
 * is kept per key, not per partition.
 */
#include "models/topic_private.h"

#include <assert.h>
#include <math.h>

/* Whether item x may join a batch begun with head (NULL: a new batch). */
static bool fits(const struct part *p, const struct sim_item *x, const struct sim_item *head,
		 bool same_key)
{
	if (head && same_key)
		return x->key == head->key && x->key != SIM_NONE;
	if (head && x->key == head->key)
		return true;	/* its key is in service in this very batch */
	return x->key == SIM_NONE || !mdl_inkeys_has(&p->keys, x->key);
}

/* The next item of partition i that may go into a batch begun with head
 * (NULL: a new one), taken out and counted in service; or NULL. */
static struct sim_item *take(struct sim_ctx *ctx, struct topic *t, size_t i,
			     const struct sim_item *head, bool same_key)
{
	struct part *p = &t->p[i];
	double now = sim_now(ctx);
	if (isfinite(t->conf->retention))
		mdl_topic_expire(ctx, t, p);
	size_t j = 0, scan = t->conf->ordering == ORD_KEY ? TOPIC_LOOKAHEAD : 1;
	while (j < p->q.len && j < scan && !fits(p, p->q.v[(p->q.head + j) & (p->q.cap - 1)], head,
						   same_key))
		j++;
	if (j == p->q.len || j == scan)
		return NULL;
	if (t->conf->ordering == ORD_KEY &&
	    mdl_inkeys_add(&p->keys, p->q.v[(p->q.head + j) & (p->q.cap - 1)]->key) < 0) {
		sim_stop(ctx, "out of memory in a topic");
		return NULL;
	}
	struct sim_item *it = mdl_topic_take_at(ctx, t, p, j);
	p->in_flight++;
	double age = now - it->enqueued_s;
	sim_hist_add(&t->bl.wait, age);
	if (now >= t->bl.warmup) {
		p->wait_sum += age;
		p->waited++;
	}
	it->part = (uint32_t)i;
	return it;
}

struct sim_item *mdl_topic_pull(struct sim_ctx *ctx, void *state)
{
	struct topic *t = state;
	for (size_t k = 0; k < t->n; k++) {
		size_t i = t->cursor + k < t->n ? t->cursor + k : t->cursor + k - t->n;
		if (!t->p[i].q.len || !mdl_group_free(&t->g, i) ||
		    (t->conf->ordering == ORD_PARTITION && t->p[i].in_flight))
			continue;
		struct sim_item *it = take(ctx, t, i, NULL, false);
		if (!it)
			continue;
		it->part |= TOPIC_HEAD;
		t->batches[i]++;
		t->g.busy[t->g.owner[i]]++;
		t->cursor = i + 1 < t->n ? i + 1 : 0;	/* partitions take turns */
		return it;
	}
	return NULL;
}

struct sim_item *mdl_topic_pull_more(struct sim_ctx *ctx, void *state, const struct sim_item *head,
				  bool same_key)
{
	struct topic *t = state;
	return take(ctx, t, head->part & ~TOPIC_HEAD, head, same_key);
}

void mdl_topic_release(struct sim_ctx *ctx, void *state, struct sim_item *it)
{
	struct topic *t = state;
	size_t i = it->part & ~TOPIC_HEAD;
	struct part *p = &t->p[i];
	/* by partition, items complete in the order they arrived */
	assert(t->conf->ordering == ORD_KEY || it->enqueued_s >= p->last_done);
	p->last_done = it->enqueued_s;
	p->in_flight--;
	if (t->conf->ordering == ORD_KEY)
		mdl_inkeys_remove(&p->keys, it->key);
	if (it->part & TOPIC_HEAD) {
		t->batches[i]--;
		if (t->g.owner[i] != MDL_GROUP_NOBODY)
			t->g.busy[t->g.owner[i]]--;
	}
	mdl_topic_add_lag(ctx, t, p, -1);
}

void mdl_topic_consumers(struct sim_ctx *ctx, void *state, uint64_t n)
{
	struct topic *t = state;
	mdl_group_assign(&t->g, n, t->conf->ordering == ORD_KEY, t->batches);
	sim_wake(ctx);
}
