/* json.h - a small ordered JSON tree for summaries.
 *
 * Models write their summary metrics into it; the runner aggregates the
 * trees of several replications member by member (numbers become
 * {mean, ci95, n}); the writer prints it with a fixed number format, so
 * equal trees give equal bytes.  Non-finite numbers print as null.
 * Builders return the new node, or NULL when out of memory (the parent
 * then records the failure; sim_json_failed reports it).
 *
 * Finding a member by key costs O(1) expected in a large object: the
 * builders keep an index of its keys (built when a member is added, never
 * when one is read, so that several threads may read a tree at once).
 * The first member with a key is the one found, as in a walk.
 *
 * Memory: a tree made by sim_json_new_obj owns an arena (sim/arena.h)
 * that holds its nodes (48 bytes each) and one copy of each distinct key
 * or string; sim_json_free frees it all at once.  A wide model's summary
 * has some twenty nodes per component: one malloc'd block per node and
 * another per key cost twice as much.
 */
#ifndef SIM_JSON_H
#define SIM_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum sim_json_type { SIM_JSON_NULL, SIM_JSON_BOOL, SIM_JSON_NUM, SIM_JSON_STR,
		     SIM_JSON_OBJ, SIM_JSON_ARR };

/* Read the fields; a scalar's b or num may be set in place, but nodes and
 * strings are made only by the functions below (they live in the tree's
 * arena). */
struct sim_json {
	enum sim_json_type type;
	bool b;			/* SIM_JSON_BOOL */
	bool oom;		/* a child could not be added */
	unsigned char bits;	/* json.c's */
	const char *key;	/* member name inside an object, else NULL */
	const char *str;	/* SIM_JSON_STR, else NULL */
	struct sim_json *first;	/* objects and arrays: the first child, else NULL */
	struct sim_json *next;	/* the next sibling */
	union {
		double num;	/* SIM_JSON_NUM; 0 for null and booleans */
		void *tree;	/* objects and arrays: json.c's */
	};
};

/* An object or array past this many members keeps a pointer to its last
 * (appending walks the members before) and, for an object, an index of
 * its keys. */
#define SIM_JSON_INDEX_MIN 16

/* A new tree: an empty object, or NULL when out of memory. */
struct sim_json *sim_json_new_obj(void);
/* Frees a tree made by sim_json_new_obj or sim_json_aggregate, with all
 * its nodes; on any other node, does nothing (it goes with its tree). */
void sim_json_free(struct sim_json *j);

/* Builders: the new member of the object or element of the array parent,
 * or NULL when parent is NULL, is no object or array, or when out of
 * memory (parent->oom then).  key is NULL in arrays; key and v are
 * copied. */

struct sim_json *sim_json_obj(struct sim_json *parent, const char *key);
struct sim_json *sim_json_arr(struct sim_json *parent, const char *key);
/* An array placed before the member named before (last when there is
 * none), for a member added after the others that must read in order. */
struct sim_json *sim_json_arr_before(struct sim_json *parent, const char *key,
				     const char *before);
struct sim_json *sim_json_num(struct sim_json *parent, const char *key, double v);
struct sim_json *sim_json_bool(struct sim_json *parent, const char *key, bool v);
struct sim_json *sim_json_str(struct sim_json *parent, const char *key, const char *v);
struct sim_json *sim_json_null(struct sim_json *parent, const char *key);

/* Appends a deep copy of src (with its key) to parent, which may belong
 * to another tree. */
void sim_json_copy_into(struct sim_json *parent, const struct sim_json *src);

/* Member of an object by a path of keys ending in NULL, or NULL. */
struct sim_json *sim_json_get(const struct sim_json *j, ...);

/* Number at a path, NaN when absent or not a number. */
double sim_json_getnum(const struct sim_json *j, ...);

bool sim_json_failed(const struct sim_json *j);

/* Writes j with two-space indentation and a final newline. */
void sim_json_write(const struct sim_json *j, FILE *f);

/* Aggregates n trees (objects) of the same shape: numbers become {mean, ci95, n}
 * (nulls skipped), booleans are true only when true in all, except
 * members named in share_keys, which become the share of trues; members
 * named in keep_keys are copied from the first tree.  A new tree (free it
 * with sim_json_free), or NULL when out of memory. */
struct sim_json *sim_json_aggregate(const struct sim_json *const *trees, size_t n,
				    const char *const *share_keys,
				    const char *const *keep_keys);

/* Formats a number the way the writer does (integers exactly). */
void sim_json_format_num(char *buf, size_t size, double v);

#endif
