/* pool.c - threads taking numbered tasks from a counter; see pool.h. */
#include "sim/pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

struct pool {
	sim_pool_fn *fn;
	void *arg;
	size_t n;
	atomic_size_t next;
};

struct slot {
	struct pool *pool;
	unsigned id;
};

static void *take(void *p)
{
	struct slot *s = p;
	for (;;) {
		size_t task = atomic_fetch_add(&s->pool->next, 1);
		if (task >= s->pool->n)
			return NULL;
		s->pool->fn(s->pool->arg, task, s->id);
	}
}

void sim_pool_run(size_t n, unsigned slots, sim_pool_fn *fn, void *arg)
{
	struct pool pool = { .fn = fn, .arg = arg, .n = n };
	atomic_init(&pool.next, 0);
	if (slots > n)
		slots = (unsigned)n;
	if (slots < 1)
		slots = 1;
	struct slot *s = calloc(slots, sizeof *s);
	pthread_t *t = calloc(slots, sizeof *t);
	unsigned started = 1;
	if (s && t) {
		for (unsigned i = 0; i < slots; i++)
			s[i] = (struct slot){ .pool = &pool, .id = i };
		while (started < slots && pthread_create(&t[started], NULL, take, &s[started]) == 0)
			started++;
		take(&s[0]);
	} else {
		struct slot only = { .pool = &pool, .id = 0 };
		take(&only);
	}
	for (unsigned i = 1; i < started; i++)
		pthread_join(t[i], NULL);
	free(s);
	free(t);
}
