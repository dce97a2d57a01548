/* lanes.c - the lanes of a `priority` queue, a part of the queue model:
 * classes of equal priority share a lane, and lanes are ordered most
 * important first, so the queue serves the first lane that has items.
 * Init only: nothing here runs per item.
 */
#include "models/lanes.h"

size_t mdl_lanes_by_priority(struct sim_ctx *ctx, size_t *lane_of)
{
	size_t nc = sim_nclasses(ctx);
	int prios[64];
	size_t np = 0;
	for (size_t k = 0; k < nc; k++) {
		int p = sim_class_priority(ctx, k);
		size_t j = 0;
		while (j < np && prios[j] != p)
			j++;
		if (j == np)
			prios[np++] = p;
	}
	for (size_t i = 1; i < np; i++)
		for (size_t j = i; j > 0 && prios[j - 1] > prios[j]; j--) {
			int t = prios[j];
			prios[j] = prios[j - 1];
			prios[j - 1] = t;
		}
	for (size_t k = 0; k < nc; k++)
		for (size_t j = 0; j < np; j++)
			if (prios[j] == sim_class_priority(ctx, k))
				lane_of[k] = j;
	return np;
}
