/* reference.h - the metric tables of docs/scenario.md, written from the
 * models' descriptions (sim/describe.h), so the reference cannot drift
 * from what the models declare.
 *
 * The document holds, for each kind, a region
 *     <!-- generated: metrics of KIND -->
 *     ...
 *     <!-- end generated -->
 * whose text is exactly what sim_reference_kind writes; `ninja -C build
 * reference` rewrites the regions, and tests/sim/test_reference.c fails
 * when they are stale.
 */
#ifndef SIM_REFERENCE_H
#define SIM_REFERENCE_H

#include <stddef.h>
#include <stdio.h>

struct sim_model_ops;

/* The i-th kind, NULL past the last: sim_registry_kind. */
typedef const struct sim_model_ops *sim_reference_kinds_fn(size_t i);

/* Writes the kind's two Markdown tables: its summary.json metrics and its
 * timeseries.csv columns. */
void sim_reference_kind(FILE *f, const struct sim_model_ops *ops);

/* A copy of text (a Markdown document) with the region of every kind
 * rewritten; the caller frees it.  NULL when a kind has no region or two,
 * a region has no end or names no kind, or memory runs out: then err
 * (errsize bytes) says which. */
char *sim_reference_update(const char *text, sim_reference_kinds_fn *kinds, char *err,
			   size_t errsize);

#endif
