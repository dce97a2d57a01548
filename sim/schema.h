/* schema.h - a JSON Schema (draft 2020-12) for scenario files, written
 * from the registry's kinds and each model's list of accepted keys, so
 * it cannot drift from what the loader accepts.
 *
 * `ninja -C build schema` writes it to docs/scenario.schema.json, and
 * tests/sim/test_schema.c fails when the shipped file is stale.  Editors
 * read it through the `# yaml-language-server: $schema=...` comment that
 * opens each example scenario.
 */
#ifndef SIM_SCHEMA_H
#define SIM_SCHEMA_H

#include <stddef.h>

struct sim_json;
struct sim_model_ops;

/* The i-th kind, NULL past the last: sim_registry_kind. */
typedef const struct sim_model_ops *sim_schema_kinds_fn(size_t i);

/* The schema as a JSON tree (free with sim_json_free), or NULL when
 * memory runs out. */
struct sim_json *sim_schema_build(sim_schema_kinds_fn *kinds);

#endif
