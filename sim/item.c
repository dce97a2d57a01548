/* item.c - item pool: blocks of SIM_ITEM_BLOCK items threaded on a free list.
 * Invariant: every item is either on the free list or held by exactly one
 * component (or event); live counts the latter.
 */
#include "sim/item.h"

#include <stdlib.h>

#define SIM_ITEM_BLOCK 4096

void sim_item_pool_init(struct sim_item_pool *pool, uint64_t limit)
{
	*pool = (struct sim_item_pool){ .limit = limit };
}

void sim_item_pool_fini(struct sim_item_pool *pool)
{
	for (size_t i = 0; i < pool->nblocks; i++)
		free(pool->blocks[i]);
	free(pool->blocks);
	*pool = (struct sim_item_pool){ 0 };
}

static int grow(struct sim_item_pool *pool)
{
	if (pool->nblocks == pool->cap_blocks) {
		size_t cap = pool->cap_blocks ? pool->cap_blocks * 2 : 16;
		struct sim_item **b = realloc(pool->blocks, cap * sizeof *b);
		if (!b)
			return -1;
		pool->blocks = b;
		pool->cap_blocks = cap;
	}
	struct sim_item *block = malloc(SIM_ITEM_BLOCK * sizeof *block);
	if (!block)
		return -1;
	pool->blocks[pool->nblocks++] = block;
	for (size_t i = SIM_ITEM_BLOCK; i-- > 0;) {
		block[i].next = pool->free;
		pool->free = &block[i];
	}
	return 0;
}

struct sim_item *sim_item_pool_get_slow(struct sim_item_pool *pool)
{
	if (pool->limit && pool->live >= pool->limit)
		return NULL;
	if (!pool->free && grow(pool) < 0)
		return NULL;
	struct sim_item *it = pool->free;
	pool->free = it->next;
	pool->live++;
	return it;
}
