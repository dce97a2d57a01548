/* group.c - a consumer group's assignment of partitions to consumers.
 *
 * Invariant: busy[c] is the sum of the batches in service from the
 * partitions c owns, so a rebalance (the pool grew or shrank) keeps a
 * partition's work in service with its new owner: a consumer that gains a
 * partition whose previous owner is still working on it waits for that
 * work to finish, as a Kafka consumer waits for the revoked partition's
 * last commit.  Cost: O(partitions) per rebalance, nothing per item.
 */
#include "models/group.h"

#include <stdlib.h>

int mdl_group_init(struct mdl_group *g, size_t nparts)
{
	g->nparts = nparts;
	g->owner = malloc(nparts * sizeof *g->owner);
	g->threads = calloc(nparts, sizeof *g->threads);
	g->busy = calloc(nparts, sizeof *g->busy);
	if (!g->owner || !g->threads || !g->busy)
		return -1;
	for (size_t i = 0; i < nparts; i++)
		g->owner[i] = MDL_GROUP_NOBODY;
	return 0;
}

void mdl_group_fini(struct mdl_group *g)
{
	free(g->owner);
	free(g->threads);
	free(g->busy);
}

void mdl_group_assign(struct mdl_group *g, uint64_t workers, bool share_extra,
		      const uint64_t *batches)
{
	size_t n = g->nparts;
	size_t nc = workers < n ? (size_t)workers : n;
	g->workers = workers;
	g->nconsumers = nc;
	for (size_t c = 0; c < n; c++) {
		g->busy[c] = 0;
		g->threads[c] = 0;
	}
	size_t p = 0;
	for (size_t c = 0; c < nc; c++) {
		size_t take = n / nc + (c < n % nc);
		for (size_t k = 0; k < take; k++)
			g->owner[p++] = (uint32_t)c;
		g->threads[c] = share_extra ? workers / nc + (c < workers % nc) : 1;
	}
	for (; p < n; p++)
		g->owner[p] = MDL_GROUP_NOBODY;
	for (size_t i = 0; i < n; i++)
		if (g->owner[i] != MDL_GROUP_NOBODY)
			g->busy[g->owner[i]] += batches[i];
}
