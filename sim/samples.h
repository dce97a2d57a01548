/* samples.h - the data file of an empirical distribution.
 *
 * The file is data, never shown whole: only regular files are read (no
 * devices, FIFOs or folders), with stated bounds on its size, its line
 * length and its number of samples, and an error quotes at most a short
 * excerpt of a line, its non-printable bytes escaped.
 */
#ifndef SIM_SAMPLES_H
#define SIM_SAMPLES_H

#include <stddef.h>
#include <stdio.h>

#include "sim/cfg.h"
#include "sim/dist.h"

#define SIM_SAMPLES_MAX_BYTES (256 << 20)
#define SIM_SAMPLES_MAX_LINE 4096
#define SIM_SAMPLES_MAX_COUNT 10000000
#define SIM_EXCERPT_CHARS 40

/* Reads the file named by v (relative to the scenario's folder) into d:
 * its samples (in c's arena), mean and variance.  -1 with errors
 * reported, 0 on success. */
int sim_samples_load(struct sim_cfg *c, const struct sim_node *v, struct sim_dist *d);

/* The path of data file name (relative to the scenario's folder) into
 * path[size]. */
void sim_data_path(const struct sim_cfg *c, const char *name, char *path, size_t size);

/* Opens path for reading if it is a regular file of at most
 * SIM_SAMPLES_MAX_BYTES; NULL after an error at v that names the file as
 * "<what> file" (what: "samples", "rate", "trace"). */
FILE *sim_data_open(struct sim_cfg *c, const struct sim_node *v, const char *path,
		    const char *what);

/* At most SIM_EXCERPT_CHARS bytes of s[0..len) into dst, printable ASCII
 * as is, '\' and ''' and anything else as \xNN, "..." when cut; dst needs
 * SIM_EXCERPT_CHARS * 4 + 4 bytes. */
void sim_excerpt(char *dst, const char *s, size_t len);

#endif
