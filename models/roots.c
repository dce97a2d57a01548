/* roots.c - the producers at the roots of a client's work, a part of the
 * client model.
 *
 * End to end, `attempts_per_request` divides a client's attempts by the
 * requests that entered at the producers at the roots of its work: with
 * tiers of clients it shows how retries multiply, where `amplification`
 * (attempts / requests received here) shows one tier's share.  It is
 * shown only below the edge, for a client some of whose requests were
 * not made by their root (made by another client or a pool's calls).
 *
 * Invariant: v[0..n) holds each root seen once, in the order first seen.
 */
#include "models/roots.h"

#include <stdlib.h>

#include "sim/format.h"

void mdl_roots_note(struct sim_ctx *ctx, struct mdl_roots *r, const struct sim_item *req)
{
	if (req->origin != req->root)
		r->tiered = true;
	for (size_t i = 0; i < r->n; i++)
		if (r->v[i] == req->root)
			return;
	if (r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 8;
		uint32_t *v = realloc(r->v, cap * sizeof *v);
		if (!v) {
			sim_stop(ctx, "out of memory noting the roots of a client's requests");
			return;
		}
		r->v = v;
		r->cap = cap;
	}
	r->v[r->n++] = req->root;
}

void mdl_roots_fini(struct mdl_roots *r)
{
	free(r->v);
	*r = (struct mdl_roots){ 0 };
}

void mdl_roots_finish(struct sim_ctx *ctx, const struct mdl_roots *r, double attempts,
		      struct sim_json *o)
{
	if (!r->tiered)
		return;
	double entered = 0;
	for (size_t i = 0; i < r->n; i++)
		entered += sim_created(ctx, r->v[i]);
	sim_json_num(o, "attempts_per_request", entered > 0 ? attempts / entered : 0);
}

void mdl_roots_report_note(FILE *f, const char *name, const struct sim_json *o)
{
	const struct sim_json *per = sim_json_get(o, "attempts_per_request", NULL);
	if (!per)
		return;
	char end[64], here[64];
	sim_format_json(end, sizeof end, SIM_UNIT_NUMBER, per);
	sim_format_json(here, sizeof here, SIM_UNIT_NUMBER, sim_json_get(o, "amplification", NULL));
	fprintf(f, "\nEnd to end: `%s` sent %s attempts per request that entered at the producers (%s per request it received).\n",
		name, end, here);
}
