/* window.h - two counts over a sliding window of time (models/window.c),
 * a part of the client model: its retry budget and its throttle. */
#ifndef MDL_WINDOW_H
#define MDL_WINDOW_H

#include "sim/model.h"

#define MDL_WINDOW_SLICES 10

/* Embedded by its owner, zeroed, then set up by mdl_window_init; its
 * fields are the module's own.  It allocates nothing: no _fini. */
struct mdl_window {
	double slice_len;	/* seconds */
	uint64_t slice;		/* index of the current slice */
	double a[MDL_WINDOW_SLICES], b[MDL_WINDOW_SLICES];
};

/* A window of span_s seconds (> 0), in MDL_WINDOW_SLICES slices. */
void mdl_window_init(struct mdl_window *w, double span_s);
/* Adds da and db to the counts of the slice that holds now.  now never
 * goes back in time from one call to the next. */
void mdl_window_add(struct mdl_window *w, double now, double da, double db);
/* The two counts over the window that ends now, into *a and *b. */
void mdl_window_sums(struct mdl_window *w, double now, double *a, double *b);

#endif
