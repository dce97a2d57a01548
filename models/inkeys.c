/* inkeys.c - the keys in service in one partition of a topic.
 *
 * Invariant: each key appears once, with n >= 1 items in service; a key
 * whose last item is released leaves at once (its place taken by the
 * last entry).  A consumer holds few batches at once, so a linear search
 * beats hashing; the array grows by doubling and never shrinks, so steady
 * state allocates nothing.
 */
#include "models/inkeys.h"

#include <stdlib.h>

#include "sim/item.h"

void mdl_inkeys_fini(struct mdl_inkeys *s)
{
	free(s->v);
}

static struct mdl_inkey *find(const struct mdl_inkeys *s, uint32_t key)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].key == key)
			return &s->v[i];
	return NULL;
}

bool mdl_inkeys_has(const struct mdl_inkeys *s, uint32_t key)
{
	return find(s, key) != NULL;
}

int mdl_inkeys_add(struct mdl_inkeys *s, uint32_t key)
{
	if (key == SIM_NONE)
		return 0;
	struct mdl_inkey *k = find(s, key);
	if (k) {
		k->n++;
		return 0;
	}
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 8;
		struct mdl_inkey *v = realloc(s->v, cap * sizeof *v);
		if (!v)
			return -1;
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = (struct mdl_inkey){ key, 1 };
	return 0;
}

void mdl_inkeys_remove(struct mdl_inkeys *s, uint32_t key)
{
	struct mdl_inkey *k = key == SIM_NONE ? NULL : find(s, key);
	if (k && !--k->n)
		*k = s->v[--s->n];
}
