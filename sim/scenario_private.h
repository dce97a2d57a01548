/* scenario_private.h - the loader's steps, shared by its files.
 *
 * sim_scenario_parse builds a scenario in named steps, in this order (the
 * order makes the messages: later steps need what earlier ones checked):
 *   overrides.c   the variant's overrides and each --set, merged into the
 *                 parsed tree (the tree itself is never changed);
 *   scenario.c    the top-level keys, the limits and the classes;
 *   components.c  each component configured through its kind's model;
 *   links.c       names in links resolved, then the graph they make checked;
 *   scenario.c    the report, which needs every component.
 * Each step reports its errors as "file:line:col: error: ..." through the
 * shared struct sim_cfg and returns -1 if it reported any (or ran out of
 * memory).  Not for use outside the loader: sim/scenario.h is the API.
 */
#ifndef SIM_SCENARIO_PRIVATE_H
#define SIM_SCENARIO_PRIVATE_H

#include <stdbool.h>

#include "sim/cfg.h"
#include "sim/node.h"
#include "sim/scenario.h"

#define SIM_SCENARIO_MAX_COMPONENTS 1000000
/* The most component names offered as suggestions for a misspelt one. */
#define SIM_SCENARIO_MAX_SUGGEST 4096

/* ---- names (scenario.c) ------------------------------------------------- */

/* A name of a class, component or variant: lowercase letters, digits,
 * '_' and '-', starting with a letter or digit (they name output columns). */
bool sim_scenario_valid_name(const char *s);

/* The same, reporting a bad name k of a `what` ("class", "component"). */
bool sim_scenario_check_name(struct sim_cfg *c, const struct sim_node *k, const char *what);

/* ---- overrides (overrides.c) -------------------------------------------- */

/* Records the names of the variants under `variants` of root in sc (to
 * list in messages and for `sim compare`).  A bad name is reported and
 * sets *bad to -1, and the caller goes on, so that the overrides' own
 * errors show too.  -1: `variants` is not a map (reported), nothing more
 * to check. */
int sim_overrides_variants(struct sim_scenario *sc, struct sim_cfg *c,
			   const struct sim_node *root, int *bad);

/* Merges the chosen variant's overrides (o->variant) into *comps, then
 * each of o->sets into *root (top-level keys, `limits`, `report`) or
 * *comps.  *root and *comps are replaced by new nodes; the parsed tree is
 * shared, never changed.  sc->variant is set.  Every --set is checked
 * even after a bad one; an unknown or bad variant stops at once. */
int sim_overrides_apply(struct sim_scenario *sc, struct sim_cfg *c,
			const struct sim_load_opts *o, struct sim_node **root,
			const struct sim_node **comps);

/* ---- components (components.c) ------------------------------------------ */

/* Fills sc->comps from the map comps: each component's name, kind and
 * configuration through its model's configure hook, with c->class_* set.
 * Links and columns the models record go to c->links and c->columns. */
int sim_components_configure(struct sim_scenario *sc, struct sim_cfg *c,
			     const struct sim_node *comps);

/* ---- links (links.c) ---------------------------------------------------- */

/* Resolves each recorded link c->links to a component's index, checking
 * the target's kind, and records who pulls from whom (the consumers). */
int sim_links_resolve(struct sim_scenario *sc, struct sim_cfg *c);

/* Checks the graph of resolved links: every queue has a consumer and
 * items never flow in a cycle. */
int sim_links_check(struct sim_scenario *sc, struct sim_cfg *c);
/* Numbers the model's independent parts (sc->part_of, sc->nparts) from
 * the resolved links; -1 when out of memory. */
int sim_links_parts(struct sim_scenario *sc, const struct sim_cfg *c);

#endif
