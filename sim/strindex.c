/* strindex.c - open addressing with linear probing over a power-of-two
 * table, kept at most 3/4 full (a few probes per lookup); no deletion, so
 * no tombstones.  A slot is a key pointer and a value: 16 bytes, 21 to 43
 * bytes per key with the table's slack (a wide model indexes tens of
 * thousands of column names).  A probe compares strings (names differ
 * within their first few bytes), and growing hashes each key again. */
#include "sim/strindex.h"

#include <stdlib.h>
#include <string.h>

#define STRINDEX_MIN_CAP 32

void sim_strindex_init(struct sim_strindex *x)
{
	*x = (struct sim_strindex){ 0 };
}

void sim_strindex_fini(struct sim_strindex *x)
{
	free(x->slots);
	*x = (struct sim_strindex){ 0 };
}

uint64_t sim_strindex_hash(const char *key)
{
	uint64_t h = 14695981039346656037u;
	for (const unsigned char *s = (const unsigned char *)key; *s; s++) {
		h ^= *s;
		h *= 1099511628211u;
	}
	/* FNV's low bits depend only on the bytes' low bits: mix the high
	 * ones down, since the table takes the low ones */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdu;
	h ^= h >> 33;
	return h;
}

/* The slot holding key, or the empty one where it would go. */
static struct sim_strindex_slot *slot_of(const struct sim_strindex *x, const char *key)
{
	size_t mask = x->cap - 1;
	size_t i = (size_t)sim_strindex_hash(key) & mask;
	while (x->slots[i].key && strcmp(x->slots[i].key, key))
		i = (i + 1) & mask;
	return &x->slots[i];
}

static int grow(struct sim_strindex *x)
{
	size_t cap = x->cap ? 2 * x->cap : STRINDEX_MIN_CAP;
	struct sim_strindex_slot *slots = cap <= SIZE_MAX / sizeof *slots
		? calloc(cap, sizeof *slots) : NULL;
	if (!slots) {
		sim_strindex_fini(x);
		x->off = true;
		return -1;
	}
	struct sim_strindex old = *x;
	x->slots = slots;
	x->cap = cap;
	for (size_t i = 0; i < old.cap; i++)
		if (old.slots[i].key)
			*slot_of(x, old.slots[i].key) = old.slots[i];
	free(old.slots);
	return 0;
}

int sim_strindex_add(struct sim_strindex *x, const char *key, uintptr_t val)
{
	if (x->off)
		return -1;
	if (4 * (x->n + 1) > 3 * x->cap && grow(x) < 0)
		return -1;
	struct sim_strindex_slot *s = slot_of(x, key);
	if (s->key)
		return 1;
	*s = (struct sim_strindex_slot){ .key = key, .val = val };
	x->n++;
	return 0;
}

void sim_strindex_set(struct sim_strindex *x, const char *key, uintptr_t val)
{
	if (!x->cap)
		return;
	struct sim_strindex_slot *s = slot_of(x, key);
	if (s->key)
		*s = (struct sim_strindex_slot){ .key = key, .val = val };
}

uintptr_t sim_strindex_get(const struct sim_strindex *x, const char *key)
{
	return x->cap ? slot_of(x, key)->val : 0;
}

bool sim_strindex_on(const struct sim_strindex *x)
{
	return !x->off;
}
