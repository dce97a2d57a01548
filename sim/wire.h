/* wire.h - a replication's result as bytes, and back, exactly.
 *
 * A run spread over processes (MPI ranks) simulates a replication in one
 * process and writes its outputs in another: the result travels as a
 * flat buffer.  Numbers travel as their eight bytes, so what the writing
 * process computes from a result it received is, bit for bit, what it
 * would have computed from the result of its own run.  The layout is the
 * machine's own (every rank runs the same build on the same kind of
 * host); a buffer that ends early or holds a bad tag is refused, never
 * read past.
 */
#ifndef SIM_WIRE_H
#define SIM_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/engine.h"

/* A growing buffer being written; oom once an append failed. */
struct sim_wire {
	unsigned char *buf;
	size_t len, cap;
	bool oom;
};

void sim_wire_fini(struct sim_wire *w);

/* Appends bytes, a number, a string or NULL (its length + 1, 0 for
 * NULL, then its bytes). */
void sim_wire_put(struct sim_wire *w, const void *p, size_t n);
void sim_wire_put_u64(struct sim_wire *w, uint64_t v);
void sim_wire_put_f64(struct sim_wire *w, double v);
void sim_wire_put_str(struct sim_wire *w, const char *s);

/* Reading len bytes at p from at: bad once they ran out or made no
 * sense, and every read after that gives 0 (or NULL). */
struct sim_wire_in {
	const unsigned char *p;
	size_t len, at;
	bool bad;
};

bool sim_wire_get(struct sim_wire_in *in, void *out, size_t n);
uint64_t sim_wire_get_u64(struct sim_wire_in *in);
double sim_wire_get_f64(struct sim_wire_in *in);
/* A malloc'd copy of a string (NULL for NULL); *ok false when the bytes
 * are short or memory ran out. */
char *sim_wire_get_str(struct sim_wire_in *in, bool *ok);

/* Appends r: its summary tree, its series (columns and rows), its
 * counts and flags.  0, or -1 when out of memory. */
int sim_wire_put_result(struct sim_wire *w, const struct sim_result *r);

/* Rebuilds *r from the len bytes at buf (what sim_wire_put_result
 * wrote).  0, or -1 when the bytes are not a whole result or memory ran
 * out; *r can be given to sim_result_fini either way. */
int sim_wire_get_result(const void *buf, size_t len, struct sim_result *r);

#endif
