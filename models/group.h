/* group.h - a consumer group's assignment of partitions to consumers
 * (models/group.c), for models/topic.c. */
#ifndef MDL_GROUP_H
#define MDL_GROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MDL_GROUP_NOBODY UINT32_MAX

struct mdl_group {
	size_t nparts;
	uint64_t workers;	/* the pool's size */
	size_t nconsumers;	/* min(workers, nparts) */
	uint32_t *owner;	/* by partition: its consumer, or MDL_GROUP_NOBODY */
	uint64_t *threads;	/* by consumer: batches it may hold at once */
	uint64_t *busy;		/* by consumer: batches it holds */
};

/* Room for nparts partitions, none owned; 0 or -1 (out of memory). */
int mdl_group_init(struct mdl_group *g, size_t nparts);
void mdl_group_fini(struct mdl_group *g);

/* Deals the partitions out to min(workers, nparts) consumers, Kafka's
 * range assignor's way: consumer c of C gets a contiguous run of N / C
 * partitions, the first N mod C one more.  Each consumer holds one batch
 * at a time; with share_extra, the workers beyond the partition count
 * are threads of the consumers instead (worker w is a thread of consumer
 * w mod C).  batches: the batches in service by partition, which stay
 * with whoever owns the partition now. */
void mdl_group_assign(struct mdl_group *g, uint64_t workers, bool share_extra,
		      const uint64_t *batches);

/* Whether partition i's owner can take another batch. */
static inline bool mdl_group_free(const struct mdl_group *g, size_t i)
{
	uint32_t c = g->owner[i];
	return c != MDL_GROUP_NOBODY && g->busy[c] < g->threads[c];
}

#endif
