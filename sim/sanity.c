/* sanity.c - warnings about scenarios that are probably mistaken. */
#include "sim/sanity.h"

#include <stdio.h>

#include "sim/scenario.h"

/* Adds one warning, "file:line:col: warning: text", to sc. */
static int warn(struct sim_scenario *sc, const struct sim_node *at, const char *text)
{
	if (sc->nwarnings == SIM_SCENARIO_MAX_WARNINGS)
		return 0;
	if (!sc->warnings) {
		sc->warnings = sim_arena_alloc(&sc->arena,
					       SIM_SCENARIO_MAX_WARNINGS * sizeof *sc->warnings);
		if (!sc->warnings)
			return -1;
	}
	char line[512];
	snprintf(line, sizeof line, "%s:%d:%d: warning: %s", at->file, at->line, at->col, text);
	const char *w = sim_arena_strdup(&sc->arena, line);
	if (!w)
		return -1;
	sc->warnings[sc->nwarnings++] = w;
	return 0;
}

int sim_sanity_units(struct sim_scenario *sc, const struct sim_cfg_units *u)
{
	if (!u->small)
		return 0;
	for (size_t i = 0; i < u->nbare; i++) {
		char text[400];
		snprintf(text, sizeof text,
			 "'%s: %s' is %s seconds (a bare number is seconds), where other durations in this file are in ms or us: did you mean %sms?",
			 u->bare_key[i], u->bare[i]->str, u->bare[i]->str, u->bare[i]->str);
		if (warn(sc, u->bare[i], text) < 0)
			return -1;
	}
	return 0;
}
