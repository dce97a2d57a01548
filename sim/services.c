/* services.c - the services models use through their ctx that the event
 * loop does not: the clock and the scenario read, random streams, and the
 * statistics the engine tracks for them.  Scheduling and the calls that
 * hand items on stay in engine.c, on the hot path.
 */
#include <stdlib.h>

#include "sim/engine_private.h"
#include "sim/rng.h"

double sim_now(const struct sim_ctx *ctx) { return ctx->eng->now; }
double sim_duration(const struct sim_ctx *ctx) { return ctx->eng->sc->duration; }
double sim_warmup(const struct sim_ctx *ctx) { return ctx->eng->sc->warmup; }
const char *sim_name(const struct sim_ctx *ctx) { return ctx->comp->name; }
size_t sim_nclasses(const struct sim_ctx *ctx) { return ctx->eng->sc->nclasses; }

int sim_class_priority(const struct sim_ctx *ctx, size_t cls)
{
	return ctx->eng->sc->classes[cls].priority;
}

const struct sim_source_stats *sim_source_stats(const struct sim_ctx *ctx)
{
	return ctx->src;
}

double sim_measured_s(const struct sim_ctx *ctx)
{
	double t = ctx->eng->now - ctx->eng->sc->warmup;
	return t > 0 ? t : 0;
}

gsl_rng *sim_rng(struct sim_ctx *ctx, const char *purpose)
{
	struct sim_engine *e = ctx->eng;
	gsl_rng **v = realloc(ctx->rngs, (ctx->nrngs + 1) * sizeof *v);
	if (!v)
		return NULL;
	ctx->rngs = v;
	gsl_rng *r = sim_rng_new(e->sc->seed, e->rep, ctx->comp->name, purpose);
	if (r)
		ctx->rngs[ctx->nrngs++] = r;
	return r;
}

int sim_track_count(struct sim_ctx *ctx, struct sim_count *c)
{
	return sim_engine_push_ptr(&ctx->eng->counts, c);
}

int sim_track_level(struct sim_ctx *ctx, struct sim_level *l)
{
	return sim_engine_push_ptr(&ctx->eng->levels, l);
}

int sim_track_hist(struct sim_ctx *ctx, struct sim_hist *h)
{
	if (sim_hist_init(h) < 0)
		return -1;
	if (sim_engine_push_ptr(&ctx->eng->hists, h) < 0) {
		sim_hist_fini(h);
		return -1;
	}
	return 0;
}
