/* throttle.h - the client-side adaptive throttle of the client model
 * (models/throttle.c).  Not a model: the client embeds its configuration
 * and its state. */
#ifndef MDL_THROTTLE_H
#define MDL_THROTTLE_H

#include "models/window.h"

/* The `throttle:` map of a client; its fields are the module's own. */
struct mdl_throttle_conf {
	double k, window;
};

/* Embedded in the client's state, zeroed, then mdl_throttle_init.  It
 * allocates nothing: no _fini. */
struct mdl_throttle {
	const struct mdl_throttle_conf *conf;
	struct mdl_window w;	/* requests, accepts */
	gsl_rng *rng;
};

/* Reads the throttle map v (the value of the client's `throttle` key)
 * into conf, defaults first; 0, or -1 with the errors reported through c. */
int mdl_throttle_configure(struct sim_cfg *c, const struct sim_node *v,
			   struct mdl_throttle_conf *conf);
/* Sets up t for conf (which outlives it), drawing from rng. */
void mdl_throttle_init(struct mdl_throttle *t, const struct mdl_throttle_conf *conf, gsl_rng *rng);
/* The client wants to send an attempt at now: may it?  Counts the wish. */
bool mdl_throttle_allows(struct mdl_throttle *t, double now);
/* An attempt succeeded at now. */
void mdl_throttle_accepted(struct mdl_throttle *t, double now);
/* The probability of refusing an attempt at now; state is a struct
 * mdl_throttle, for sim_probe_fn. */
double mdl_throttle_p(const void *state, double now);

#endif
