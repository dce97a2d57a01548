/* budget.h - the retry budget of the client model (models/budget.c).
 * Not a model: the client embeds its configuration and its state. */
#ifndef MDL_BUDGET_H
#define MDL_BUDGET_H

#include "models/window.h"

/* The `budget:` map of a client; its fields are the module's own. */
struct mdl_budget_conf {
	double ratio, window, min_per_s;
};

/* Embedded in the client's state, zeroed, then mdl_budget_init.  It
 * allocates nothing: no _fini. */
struct mdl_budget {
	const struct mdl_budget_conf *conf;
	struct mdl_window w;	/* requests, retries */
};

/* Reads the budget map v (the value of the client's `budget` key) into
 * conf, defaults first; 0, or -1 with the errors reported through c. */
int mdl_budget_configure(struct sim_cfg *c, const struct sim_node *v, struct mdl_budget_conf *conf);
/* Sets up b for conf (which outlives it). */
void mdl_budget_init(struct mdl_budget *b, const struct mdl_budget_conf *conf);
/* A request arrived at now. */
void mdl_budget_request(struct mdl_budget *b, double now);
/* A retry was sent at now. */
void mdl_budget_retry(struct mdl_budget *b, double now);
/* May a request retry at now? */
bool mdl_budget_allows(struct mdl_budget *b, double now);

#endif
