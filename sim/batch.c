/* batch.c - the replications of several configurations as one pool of
 * tasks (sim/pool.h); see study_run_all in study.h.
 *
 * Task t is replication t % reps of configuration t / reps.  The first
 * task of a configuration to start begins it (study_begin) while the
 * others of the same configuration wait; the one that ends last ends it
 * (study_end: files and charts), so drawing one configuration's charts
 * overlaps simulating the next.
 */
#include "sim/study.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "sim/mpijob.h"
#include "sim/pool.h"
#include "sim/progress.h"
#include "sim/study_phases.h"

enum phase { UNTOUCHED, BEGINNING, READY, GONE };

struct config {
	struct study_state st;
	enum phase phase;
	unsigned left;		/* replications not ended */
	char *said;		/* what study_end said for stdout */
	size_t said_len;
};

struct batch {
	const struct study_opts *o;
	const struct study_spec *specs;
	struct study_run *outs;
	int *rcs;
	struct config *c;
	size_t n;
	bool stop;		/* begin nothing more */
	bool *dead;		/* per pool slot: its MPI rank failed */
	bool show;		/* a progress line (one configuration) */
	struct sim_progress progress;
	pthread_mutex_t lock;
	pthread_cond_t changed;
};

/* Begins configuration i (the lock is not held); its phase after. */
static enum phase begin(struct batch *b, size_t i)
{
	struct config *c = &b->c[i];
	const struct study_spec *spec = &b->specs[i];
	if (spec->label)
		fprintf(stderr, "sim: running %s (%zu of %zu)\n", spec->label, i + 1, b->n);
	int rc = study_begin(b->o, spec, &c->st);
	if (rc) {
		b->rcs[i] = study_end(b->o, &c->st, rc, stdout, NULL);
		return GONE;
	}
	if (b->show)
		sim_progress_start(&b->progress, c->st.sc->name, b->o->reps);
	return READY;
}

/* Ends configuration i, whose replications have all ended. */
static void end(struct batch *b, size_t i)
{
	struct config *c = &b->c[i];
	if (b->show)
		sim_progress_stop(&b->progress);
	FILE *say = b->n == 1 ? stdout : open_memstream(&c->said, &c->said_len);
	int rc = study_end(b->o, &c->st, 0, say ? say : stdout, b->outs ? &b->outs[i] : NULL);
	if (say && say != stdout)
		fclose(say);
	pthread_mutex_lock(&b->lock);
	b->rcs[i] = rc;
	if (rc != 0 && rc != 3)	/* as one after another: stop at a failure */
		b->stop = true;
	pthread_mutex_unlock(&b->lock);
}

/* Waits until configuration i is begun (beginning it if first); whether
 * its replications are to run.  Called and returns with the lock held. */
static bool ready(struct batch *b, size_t i)
{
	struct config *c = &b->c[i];
	if (c->phase == UNTOUCHED) {
		bool interrupted = b->o->interrupt && *b->o->interrupt;
		if (b->stop || interrupted) {
			c->phase = GONE;
			return false;
		}
		c->phase = BEGINNING;
		pthread_mutex_unlock(&b->lock);
		enum phase p = begin(b, i);
		pthread_mutex_lock(&b->lock);
		c->phase = p;
		if (p == GONE && b->rcs[i] == 2)
			b->stop = true;
		pthread_cond_broadcast(&b->changed);
	}
	while (c->phase == BEGINNING)
		pthread_cond_wait(&b->changed, &b->lock);
	return c->phase == READY;
}

static void task(void *arg, size_t t, unsigned slot)
{
	struct batch *b = arg;
	unsigned reps = b->o->reps;
	size_t i = t / reps;
	unsigned k = (unsigned)(t % reps);
	pthread_mutex_lock(&b->lock);
	bool go = ready(b, i);
	pthread_mutex_unlock(&b->lock);
	if (!go)
		return;
	if (slot >= b->o->jobs && !b->dead[slot]) {	/* one slot per other MPI rank */
		if (!study_rep_on(b->o, &b->c[i].st, k, (int)(slot - b->o->jobs) + 1))
			b->dead[slot] = true;	/* its slot goes on here */
	} else {
		study_rep(&b->c[i].st, k, b->show && b->progress.done ? &b->progress.done[k] : NULL);
	}
	pthread_mutex_lock(&b->lock);
	bool last = --b->c[i].left == 0;
	pthread_mutex_unlock(&b->lock);
	if (last)
		end(b, i);
}

void study_run_all(const struct study_opts *o, const struct study_spec *specs, size_t n,
		   struct study_run *outs, int *rcs)
{
	/* one configuration draws its charts --jobs at a time; several draw
	 * theirs one at a time each, beside the other tasks */
	struct study_opts own = *o;
	unsigned slots = o->jobs + (unsigned)(sim_mpi_size() - 1);
	own.charts_at_once = n == 1 ? o->jobs : 1;
	own.at_once = n * o->reps < slots ? (unsigned)(n * o->reps) : slots;
	o = &own;
	struct batch b = {
		.o = o, .specs = specs, .outs = outs, .rcs = rcs, .n = n,
		.c = calloc(n ? n : 1, sizeof *b.c),
		.dead = calloc(slots, sizeof *b.dead),
		.show = n == 1 && !o->quiet && isatty(2),
	};
	for (size_t i = 0; i < n; i++) {
		rcs[i] = -1;
		if (outs)
			outs[i] = (struct study_run){ 0 };
	}
	if (!b.c || !b.dead) {
		free(b.c);
		free(b.dead);
		fprintf(stderr, "sim: out of memory\n");
		for (size_t i = 0; i < n; i++)
			rcs[i] = 1;
		return;
	}
	for (size_t i = 0; i < n; i++)
		b.c[i].left = o->reps;
	pthread_mutex_init(&b.lock, NULL);
	pthread_cond_init(&b.changed, NULL);
	sim_pool_run(n * o->reps, slots, task, &b);
	pthread_cond_destroy(&b.changed);
	pthread_mutex_destroy(&b.lock);
	for (size_t i = 0; i < n; i++) {
		if (b.c[i].said)
			fwrite(b.c[i].said, 1, b.c[i].said_len, stdout);
		free(b.c[i].said);
	}
	free(b.c);
	free(b.dead);
}

int study_run_spec(const struct study_opts *o, const struct study_spec *spec,
		   struct study_run *out)
{
	int rc;
	study_run_all(o, spec, 1, out, &rc);
	if (rc < 0)	/* interrupted before it began */
		rc = o->interrupt && *o->interrupt ? 128 + *o->interrupt : 1;
	return rc;
}

int study_run(const struct study_opts *o, const char *variant, const char *const *extra_sets,
	      size_t nextra, const char *dir, struct study_run *out)
{
	struct study_spec spec = { .variant = variant, .sets = extra_sets, .nsets = nextra,
				   .dir = dir };
	return study_run_spec(o, &spec, out);
}
