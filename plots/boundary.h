/* boundary.h - the charts of a boundary search (sim boundary).
 *
 * boundary-recovery: the share of replications that recovered at each
 * point, in %, with its Wilson 95% interval as error bars, against the
 * trigger (a line per value of the second key), the level as a dashed
 * line and, with one key, the boundary's 95% interval shaded.
 * boundary-time: the median recovery time against the trigger.  With two
 * keys, boundary-map: every point at (first key, second key), coloured by
 * its share recovered, and the boundary curve through the estimates, with
 * their 95% intervals as bars.  The charts read boundary-points.csv and
 * boundary-curve.csv (RFC 4180); every string goes through plots/gpstr.h.
 */
#ifndef PLOTS_BOUNDARY_H
#define PLOTS_BOUNDARY_H

#include <stdbool.h>
#include <stddef.h>

struct bnd;

/* Writes the charts' data and scripts into dir and draws them unless the
 * search's options say --no-plots.  names/titles (8 each) receive the
 * charts, *ncharts how many, *drawn whether all were drawn.  0, or -1
 * after printing why (I/O). */
int plots_boundary(const char *dir, const struct bnd *b, char (*names)[96], char (*titles)[160],
		   size_t *ncharts, bool *drawn);

#endif
