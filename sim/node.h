/* node.h - a scenario file as a tree of positioned nodes.
 *
 * libyaml's events are turned into scalars, maps and sequences that keep
 * their file, line and column (1-based) so every later error can point at
 * the exact token.  Parsing is bounded: aliases expand to at most
 * SIM_NODE_MAX_COPIES nodes in all (a "billion laughs" file stops with an
 * error, not an exhausted machine), SIM_NODE_MAX_DEPTH levels of nesting,
 * and files of at most SIM_NODE_MAX_BYTES, which bounds the nodes written
 * out in the file however many components it has.  Duplicate keys are errors.  YAML merge
 * keys (`<<: *base`) are expanded: a map's own keys win over merged ones.
 */
#ifndef SIM_NODE_H
#define SIM_NODE_H

#include <stdbool.h>
#include <stddef.h>

#include "sim/arena.h"
#include "sim/diag.h"

#define SIM_NODE_MAX_COPIES 200000
#define SIM_NODE_MAX_DEPTH 64
#define SIM_NODE_MAX_BYTES (16u << 20)

enum sim_node_type {
	SIM_NODE_NULL,		/* "", "~", "null" written plainly */
	SIM_NODE_SCALAR,
	SIM_NODE_MAP,
	SIM_NODE_SEQ,
};

struct sim_node {
	enum sim_node_type type;
	int line, col;
	const char *file;
	const char *str;	/* scalar text ("" for null and collections) */
	size_t n;		/* sequence items, or map pairs */
	struct sim_node **kids;	/* seq: items; map: key0, value0, key1, ... */
};

/* Parses one YAML document from buf.  Returns the root, or NULL after
 * reporting errors to diag.  All memory comes from arena. */
struct sim_node *sim_node_parse(struct sim_arena *arena, const char *file,
				const char *buf, size_t len, struct sim_diag *diag);

/* Reads a whole file (malloc'd; at most a little over SIM_NODE_MAX_BYTES,
 * which the parser then rejects).  NULL after reporting why. */
char *sim_node_read(const char *path, size_t *len, struct sim_diag *diag);

/* Reads a whole file and parses it. */
struct sim_node *sim_node_load(struct sim_arena *arena, const char *path,
			       struct sim_diag *diag);

/* Value for key in a map, or NULL. */
const struct sim_node *sim_node_get(const struct sim_node *map, const char *key);

/* Key node for key in a map, or NULL. */
const struct sim_node *sim_node_key(const struct sim_node *map, const char *key);

const char *sim_node_type_name(enum sim_node_type t);

/* A shallow copy of map with value for key replaced (or appended). */
struct sim_node *sim_node_with(struct sim_arena *arena, const struct sim_node *map,
			       const struct sim_node *key, struct sim_node *value);

/* A shallow copy of map without key (the same pairs if it has none). */
struct sim_node *sim_node_without(struct sim_arena *arena, const struct sim_node *map,
				  const char *key);

/* A shallow copy of map without the keys that start with prefix. */
struct sim_node *sim_node_without_prefix(struct sim_arena *arena, const struct sim_node *map,
					 const char *prefix);

/* Expands the merge key `<<: *base` or `<<: [*a, *b]` of map in place: it
 * gets the pairs of those maps, its own keys winning, then earlier maps
 * over later ones (the YAML 1.1 merge type); O(n log n) in the pairs.
 * 0 (also when map has no merge key), or -1 with the node at fault in
 * *at and a message in *why. */
int sim_node_merge_keys(struct sim_arena *arena, struct sim_node *map,
			const struct sim_node **at, const char **why);

#endif
