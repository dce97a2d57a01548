/* router_private.h - the configuration and state of a router, shared by
 * the files that make up the `router` model: router.c (routing) and
 * router_routes.c (reading the routes).  Nothing else includes it.
 */
#ifndef MDL_ROUTER_PRIVATE_H
#define MDL_ROUTER_PRIVATE_H

#include "sim/model.h"

#define MAX_ROUTES 32
#define MAX_CLASSES 64		/* as many as a scenario may declare */
#define MAX_TARGETS 16		/* of a load route */
#define MAX_KEYS 256		/* named in key routes, over all of them */

enum { NOWHERE = -1, WEIGHTED = -2 };

/* Why a router drops an item: indices in reasons[]. */
enum { R_UNROUTED };

enum { LOAD_NONE, LOAD_LEAST_DEPTH, LOAD_ROUND_ROBIN };

struct route {
	uint32_t to;
	double cum;		/* weight routes: cumulative share, the last 1 */
	int load;		/* LOAD_*: `to` is a list of ntargets */
	size_t ntargets;
	uint32_t targets[MAX_TARGETS];
	const char *columns[MAX_TARGETS];	/* LOAD_LEAST_DEPTH: "<target>.depth" */
	size_t key0, nkeys;	/* a keys route: keys[key0 .. key0+nkeys) */
};

struct router_conf {
	struct route r[MAX_ROUTES + 1];	/* the last: `default` */
	size_t n;
	bool has_default;
	size_t nweighted;
	size_t weighted[MAX_ROUTES];	/* indices of the weight routes */
	int by_class[MAX_CLASSES];	/* route index, WEIGHTED or NOWHERE */
	size_t nkeyroutes;
	size_t keyroutes[MAX_ROUTES];	/* indices of the keys routes */
	size_t nkeys;
	uint32_t keys[MAX_KEYS];
	/* hot-key isolation; hot_top 0: none */
	uint32_t hot_to, hot_top;
	double hot_window_s, hot_share;
};

struct router {
	const struct router_conf *conf;
	gsl_rng *rng;
	struct mdl_hotkeys *hot;
	struct sim_count received, unrouted, isolated;
	struct sim_count routed[MAX_ROUTES + 1];
	uint64_t turn[MAX_ROUTES];	/* load routes: whose turn */
	int signal[MAX_ROUTES][MAX_TARGETS];
};

/* router_routes.c */
int mdl_router_read_route(struct sim_cfg *c, const struct sim_node *e, struct router_conf *rc,
			  int i, double *weight);
int mdl_router_read_hot(struct sim_cfg *c, const struct sim_node *v, struct router_conf *rc);
int mdl_router_check_coverage(struct sim_cfg *c, const struct sim_node *list,
			      struct router_conf *rc);

#endif
