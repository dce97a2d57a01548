/* ring.c - growing a ring buffer; see ring.h. */
#include "sim/ring.h"

#include <stdlib.h>
#include <string.h>

int sim_ring_grow(void **v, size_t *head, size_t len, size_t *cap, size_t elem, size_t first)
{
	size_t room = *cap ? 2 * *cap : first;
	unsigned char *fresh = malloc(room * elem), *old = *v;
	if (!fresh)
		return -1;
	/* the live part, from head to the end, then the part that wrapped */
	size_t tail = *cap - *head < len ? *cap - *head : len;
	if (len) {
		memcpy(fresh, old + *head * elem, tail * elem);
		memcpy(fresh + tail * elem, old, (len - tail) * elem);
	}
	free(old);
	*v = fresh;
	*head = 0;
	*cap = room;
	return 0;
}
