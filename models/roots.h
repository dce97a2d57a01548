/* roots.h - the producers at the roots of a client's work
 * (models/roots.c), a part of the client model: its end-to-end
 * `attempts_per_request`.  Not a model: the client embeds the state. */
#ifndef MDL_ROOTS_H
#define MDL_ROOTS_H

#include <stdio.h>

#include "sim/model.h"

/* Embedded in the client's state, zeroed; mdl_roots_fini frees it. */
struct mdl_roots {
	uint32_t *v;		/* the roots of the requests received */
	size_t n, cap;
	bool tiered;		/* some request was not made by its root */
};

/* Notes the root of a request the client received.  It allocates only
 * when a root is seen for the first time (at most once per component);
 * out of memory, it stops the run. */
void mdl_roots_note(struct sim_ctx *ctx, struct mdl_roots *r, const struct sim_item *req);
void mdl_roots_fini(struct mdl_roots *r);

/* Writes attempts_per_request into o, the attempts sent divided by the
 * requests that entered at the roots, when the client is below the edge
 * (tiered); nothing otherwise. */
void mdl_roots_finish(struct sim_ctx *ctx, const struct mdl_roots *r, double attempts,
		      struct sim_json *o);

/* The report's note on the client's summary o: attempts per user request
 * against attempts per request received, when o has the former. */
void mdl_roots_report_note(FILE *f, const char *name, const struct sim_json *o);

#endif
