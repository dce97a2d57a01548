/* window.c - two counts over a sliding window of time, a part of the
 * client model: the retry budget counts requests and retries in one, the
 * throttle requests and accepts in another.
 *
 * The window is MDL_WINDOW_SLICES slices of equal length, kept in a ring.
 * Invariant: slot (slice % MDL_WINDOW_SLICES) holds the counts of slice
 * `slice`, the latest one reached, and every other slot those of one of
 * the slices just before it; a slice the window skipped over counts 0.
 * Sums are therefore over the current slice and the ones before it, so the
 * window's span is exact to one slice: the cost of O(1) memory per window.
 */
#include "models/window.h"

void mdl_window_init(struct mdl_window *w, double span_s)
{
	w->slice_len = span_s / MDL_WINDOW_SLICES;
}

/* Moves the window to now: slices it left behind start again from 0. */
static void roll(struct mdl_window *w, double now)
{
	uint64_t s = (uint64_t)(now / w->slice_len);
	for (uint64_t k = w->slice + 1; k <= s && k <= w->slice + MDL_WINDOW_SLICES; k++) {
		w->a[k % MDL_WINDOW_SLICES] = 0;
		w->b[k % MDL_WINDOW_SLICES] = 0;
	}
	if (s > w->slice)
		w->slice = s;
}

void mdl_window_add(struct mdl_window *w, double now, double da, double db)
{
	roll(w, now);
	w->a[w->slice % MDL_WINDOW_SLICES] += da;
	w->b[w->slice % MDL_WINDOW_SLICES] += db;
}

void mdl_window_sums(struct mdl_window *w, double now, double *a, double *b)
{
	roll(w, now);
	*a = *b = 0;
	for (int i = 0; i < MDL_WINDOW_SLICES; i++) {
		*a += w->a[i];
		*b += w->b[i];
	}
}
