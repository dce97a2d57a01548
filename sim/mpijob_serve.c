/* mpijob_serve.c - a rank other than 0: runs the replications rank 0 sends
 * (sim/mpijob.h), one at a time, until told to stop.
 *
 * The configuration of the last task is kept loaded: the replications
 * of one configuration usually come one after another.  Should this
 * process die (a signal), it says which task it was running first, so
 * the job's failure names it.
 */
#include "sim/mpijob.h"
#include "sim/mpijob_private.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/runner.h"
#include "sim/study.h"
#include "sim/wire.h"

/* What a fatal signal's handler writes: the task running.  A signal
 * handler can reach nothing else. */
static char dying[1024];
static volatile sig_atomic_t dying_len;

static void on_fatal(int sig)
{
	if (dying_len > 0 && write(2, dying, (size_t)dying_len) < 0)
		dying_len = 0;
	signal(sig, SIG_DFL);
	raise(sig);
}

/* SIGINT or SIGTERM (mpirun passes an interrupt on to every rank): the
 * replication running stops at its next event and goes back to rank 0
 * marked incomplete, as it would in one process. */
static volatile sig_atomic_t interrupted;

static void on_interrupt(int sig)
{
	interrupted = sig;
}

static void watch_signals(void)
{
	const int fatal[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
	for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++)
		signal(fatal[i], on_fatal);
	struct sigaction sa = { .sa_handler = on_interrupt };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/* A task as put_task wrote it; its strings are malloc'd (free_task). */
struct task {
	char *scenario, *variant, *label;
	char **sets;
	size_t nsets;
	bool has_seed;
	uint64_t seed, max_items, max_events;
	unsigned rep;
	double max_wall_s;
};

static void free_task(struct task *t)
{
	free(t->scenario);
	free(t->variant);
	free(t->label);
	for (size_t i = 0; i < t->nsets; i++)
		free(t->sets[i]);
	free(t->sets);
	*t = (struct task){ 0 };
}

static int get_task(const char *buf, int len, struct task *t)
{
	*t = (struct task){ 0 };
	struct sim_wire_in in = { .p = (const unsigned char *)buf, .len = (size_t)len };
	bool ok = true;
	t->scenario = sim_wire_get_str(&in, &ok);
	t->variant = sim_wire_get_str(&in, &ok);
	uint64_t n = sim_wire_get_u64(&in);
	if (n > in.len - in.at)
		return -1;
	t->sets = calloc(n ? n : 1, sizeof *t->sets);
	if (!t->sets)
		return -1;
	for (; t->nsets < n && ok; t->nsets++)
		t->sets[t->nsets] = sim_wire_get_str(&in, &ok);
	t->has_seed = sim_wire_get_u64(&in) != 0;
	t->seed = sim_wire_get_u64(&in);
	t->rep = (unsigned)sim_wire_get_u64(&in);
	t->max_items = sim_wire_get_u64(&in);
	t->max_events = sim_wire_get_u64(&in);
	t->max_wall_s = sim_wire_get_f64(&in);
	t->label = sim_wire_get_str(&in, &ok);
	return ok && !in.bad && t->scenario && t->label ? 0 : -1;
}

/* The configuration loaded last, and what it was loaded from. */
struct cache {
	struct sim_scenario *sc;
	struct sim_wire key;
};

static struct sim_scenario *config(struct cache *c, const struct task *t)
{
	struct sim_wire key = { 0 };
	sim_wire_put_str(&key, t->scenario);
	sim_wire_put_str(&key, t->variant);
	for (size_t i = 0; i < t->nsets; i++)
		sim_wire_put_str(&key, t->sets[i]);
	sim_wire_put_u64(&key, t->has_seed);
	sim_wire_put_u64(&key, t->seed);
	if (c->sc && !key.oom && key.len == c->key.len && !memcmp(key.buf, c->key.buf, key.len)) {
		sim_wire_fini(&key);
		return c->sc;
	}
	sim_scenario_free(c->sc);
	sim_wire_fini(&c->key);
	struct study_opts o = {
		.scenario = t->scenario, .sets = (const char *const *)t->sets, .nsets = t->nsets,
		.has_seed = t->has_seed, .seed = t->seed, .quiet = true,
	};
	c->sc = study_load_variant(&o, t->variant);
	c->key = key;
	return c->sc;
}

/* Runs one task (this process dies naming it) and answers rank 0. */
static int run_and_answer(struct cache *c, const struct task *t)
{
	int n = snprintf(dying, sizeof dying, "sim: MPI rank %d died running %s (replication %u)\n",
			 sim_mpi_rank(), t->label, t->rep);
	dying_len = n < 0 ? 0 : n >= (int)sizeof dying ? (int)sizeof dying - 1 : n;
	struct sim_scenario *sc = config(c, t);
	if (!sc) {
		const char *why = "the scenario does not load on this rank (is the file shared?)";
		return sim_mpi_answer(1, why, strlen(why));
	}
	struct sim_limits lim = { .max_items = t->max_items, .max_events = t->max_events,
				  .max_wall_s = t->max_wall_s, .interrupt = &interrupted };
	struct sim_result r;
	struct sim_wire w = { 0 };
	int rc = sim_run_one(sc, t->rep, &lim, &r);
	if (rc == 0)
		rc = sim_wire_put_result(&w, &r);
	sim_result_fini(&r);
	if (rc < 0) {
		sim_wire_fini(&w);
		const char *why = "out of memory";
		return sim_mpi_answer(1, why, strlen(why));
	}
	rc = sim_mpi_answer(0, w.buf, w.len);
	sim_wire_fini(&w);
	return rc;
}

/* Runs one task and answers rank 0. */
static int serve_one(struct cache *c, const struct task *t)
{
	int rc = run_and_answer(c, t);
	dying_len = 0;
	return rc;
}

int sim_mpi_serve(void)
{
	watch_signals();
	struct cache c = { 0 };
	int rc = 0;
	for (;;) {
		char *buf = NULL;
		int len = 0;
		bool stop = false;
		if (sim_mpi_receive_task(&buf, &len, &stop) < 0) {
			rc = 1;
			break;
		}
		if (stop)
			break;
		struct task t;
		if (get_task(buf, len, &t) < 0) {
			const char *why = "a task that cannot be read";
			sim_mpi_answer(1, why, strlen(why));
		} else if (serve_one(&c, &t) < 0) {
			rc = 1;
		}
		free_task(&t);
		free(buf);
		if (rc)
			break;
	}
	sim_scenario_free(c.sc);
	sim_wire_fini(&c.key);
	sim_mpi_stop();
	return rc;
}
