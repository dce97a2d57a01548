/* inkeys.h - the keys in service in one partition of a topic with
 * `ordering: key` (models/inkeys.c): a small multiset, searched linearly. */
#ifndef MDL_INKEYS_H
#define MDL_INKEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mdl_inkey {
	uint32_t key;
	uint32_t n;		/* its items in service */
};

struct mdl_inkeys {
	struct mdl_inkey *v;
	size_t n, cap;
};

void mdl_inkeys_fini(struct mdl_inkeys *s);
/* Whether key has an item in service; O(keys in service). */
bool mdl_inkeys_has(const struct mdl_inkeys *s, uint32_t key);
/* One more item of key in service (SIM_NONE: nothing); -1 out of memory. */
int mdl_inkeys_add(struct mdl_inkeys *s, uint32_t key);
/* One item of key fewer (SIM_NONE: nothing). */
void mdl_inkeys_remove(struct mdl_inkeys *s, uint32_t key);

#endif
