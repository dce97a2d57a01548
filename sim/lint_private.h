/* lint_private.h - the facts of every component and the graph the checks
 * read (sim/lint.c gathers them; sim/lint_warn.c warns). */
#ifndef SIM_LINT_PRIVATE_H
#define SIM_LINT_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/lint.h"

struct sim_component;
struct sim_scenario;

#define MAX_FIXED 16

enum { EDGE_SEND, EDGE_CALL, EDGE_PULL };

struct edge {
	uint32_t from, to;
	double share;		/* EDGE_SEND; NAN unknown */
	int kind;
};

/* A rate that reaches a component: at least lo per second; exact when no
 * unknown went into it. */
struct flow {
	double lo;
	bool exact;
};

struct facts {
	bool source;
	double rate;		/* source: NAN unknown */
	bool sheds, drops, blocks, acks;
	bool serves;
	double servers, item_s;
	double capacity;	/* INFINITY: none stated */
	double parallel;	/* INFINITY: no limit */
	const struct sim_dist *takes;
	double timeout;		/* INFINITY: none */
	const char *timeout_key;
	uint64_t retries;
	bool backs_off;
	const char *retries_key;
	const char *fixed[MAX_FIXED];
	unsigned fixed_flags[MAX_FIXED];
	size_t nfixed;
	/* derived */
	bool consumer;		/* pulls from a buffer */
	struct flow in;
	int fail_seen, block_seen, least_seen;	/* 0 unseen, 1 done */
	bool may_fail, blocked;
	double least_s;
};

struct sim_lint {
	const struct sim_scenario *sc;
	struct facts *f;
	uint32_t self;
	struct edge *e;
	size_t ne, cap;
	size_t *first;		/* edges of u: e[first[u] .. first[u + 1]) */
	bool nomem;
};

/* Every component's facts, the pull edges and the edges by source; -1
 * when out of memory. */
int sim_lint_gather(struct sim_lint *l);
/* The baseline flows into every component; -1 when out of memory. */
int sim_lint_propagate(struct sim_lint *l);
/* What u can pass on per second (INFINITY: no limit stated). */
double sim_lint_capacity_of(struct sim_lint *l, uint32_t u);
/* What buffer b's consumers can serve together; NAN when one of them
 * says nothing of it. */
double sim_lint_pull_capacity(struct sim_lint *l, uint32_t b, const struct sim_component *q);

#endif
