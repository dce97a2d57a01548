/* sanity.c - warnings about scenarios that are probably mistaken: the
 * names `allow` knows, the warnings' list, and the one check that reads
 * the file's text rather than the models' facts (sim/lint.c). */
#include "sim/sanity.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sim/scenario.h"

static const char *const names[SIM_WARN_COUNT + 1] = {
	[SIM_WARN_BARE_SECONDS] = "bare-seconds",
	[SIM_WARN_OVERLOAD] = "overload",
	[SIM_WARN_TIMEOUT] = "timeout-below-service",
	[SIM_WARN_RETRY] = "retry-without-backoff",
	[SIM_WARN_FIXED_METRIC] = "fixed-recovery-metric",
	[SIM_WARN_COUNT] = NULL,
};

const char *const *sim_sanity_names(void)
{
	return names;
}

int sim_sanity_warn(struct sim_sanity *s, enum sim_warning w, const struct sim_node *at,
		    const char *fmt, ...)
{
	struct sim_scenario *sc = s->sc;
	if ((s->allowed & (1u << w)) || sc->nwarnings == SIM_SCENARIO_MAX_WARNINGS)
		return 0;
	if (!sc->warnings) {
		sc->warnings = sim_arena_alloc(&sc->arena,
					       SIM_SCENARIO_MAX_WARNINGS * sizeof *sc->warnings);
		if (!sc->warnings)
			return -1;
	}
	char text[512], line[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	snprintf(line, sizeof line, "%s:%d:%d: warning: %s [%s]", at->file, at->line, at->col, text,
		 names[w]);
	const char *copy = sim_arena_strdup(&sc->arena, line);
	if (!copy)
		return -1;
	sc->warnings[sc->nwarnings++] = copy;
	return 0;
}

/* A service-like duration written as a bare number (seconds) in a file
 * whose other durations are in ms or us. */
static int check_units(struct sim_sanity *s, const struct sim_cfg_units *u)
{
	if (!u->small)
		return 0;
	for (size_t i = 0; i < u->nbare; i++) {
		const char *v = u->bare[i]->str;
		if (sim_sanity_warn(s, SIM_WARN_BARE_SECONDS, u->bare[i],
				    "'%s: %s' is %s seconds (a bare number is seconds), where other durations in this file are in ms or us: did you mean %sms?",
				    u->bare_key[i], v, v, v) < 0)
			return -1;
	}
	return 0;
}

/* `allow: [NAME, ...]`: the warnings this scenario expects. */
static int read_allow(struct sim_cfg *c, const struct sim_node *v, unsigned *allowed)
{
	if (!v)
		return 0;
	if (v->type != SIM_NODE_SEQ) {
		sim_cfg_error(c, v, "expected a list of warning names for 'allow', e.g. [retry-without-backoff], got %s",
			      sim_node_type_name(v->type));
		return -1;
	}
	int bad = 0;
	for (size_t i = 0; i < v->n; i++) {
		const struct sim_node *k = v->kids[i];
		size_t w = 0;
		while (names[w] && !(k->type == SIM_NODE_SCALAR && !strcmp(names[w], k->str)))
			w++;
		if (names[w]) {
			*allowed |= 1u << w;
			continue;
		}
		char list[256];
		sim_join(list, sizeof list, names);
		const char *hint = k->type == SIM_NODE_SCALAR ? sim_suggest(k->str, names) : NULL;
		if (hint)
			sim_cfg_error(c, k, "unknown warning '%s' in 'allow' (did you mean '%s'?)", k->str,
				      hint);
		else
			sim_cfg_error(c, k, "unknown warning '%s' in 'allow' (expected one of: %s)",
				      k->type == SIM_NODE_SCALAR ? k->str : "?", list);
		bad = -1;
	}
	return bad;
}

int sim_sanity_run(struct sim_scenario *sc, struct sim_cfg *c, const struct sim_node *allow,
		   const struct sim_cfg_units *u)
{
	struct sim_sanity s = { .sc = sc };
	if (read_allow(c, allow, &s.allowed) < 0)
		return -1;
	if (check_units(&s, u) < 0 || sim_lint_run(&s) < 0)
		return -1;
	return 0;
}
