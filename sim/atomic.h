/* atomic.h - files that appear whole or not at all.
 *
 * A file is written under a temporary name in its own folder
 * (PATH.tmpPID), flushed, synced to disk, closed and only then renamed
 * onto PATH, so a reader (or a crash) never sees half a file.  Every step
 * is checked: a short write, a full disk (ENOSPC), a file-size limit
 * (EFBIG, with SIGXFSZ ignored), a failing fsync or close is reported as
 * an I/O error naming PATH, and the temporary file is removed.
 */
#ifndef SIM_ATOMIC_H
#define SIM_ATOMIC_H

#include <stdio.h>

struct sim_atomic {
	FILE *f;
	char path[4096];
	char tmp[4200];
};

/* Opens a temporary file for path; a->f is the stream to write.  NULL
 * after printing why to stderr. */
FILE *sim_atomic_open(struct sim_atomic *a, const char *path);

/* Flushes, syncs and closes a->f, then renames it onto a->path.  0, or
 * -1 after printing "sim: I/O error writing PATH: REASON" (the temporary
 * file is gone either way). */
int sim_atomic_close(struct sim_atomic *a);

/* Closes and removes the temporary file, writing nothing. */
void sim_atomic_abort(struct sim_atomic *a);

/* Writes path through fn(f, what): open, fn, close as above.  0 or -1. */
typedef void sim_atomic_fn(FILE *f, const void *what);
int sim_atomic_write(const char *path, sim_atomic_fn *fn, const void *what);

/* The same, for path dir/name. */
int sim_atomic_write_in(const char *dir, const char *name, sim_atomic_fn *fn, const void *what);

/* Ignores SIGXFSZ, so that a write past the file-size limit (ulimit -f)
 * fails with EFBIG and is reported, instead of killing the process
 * silently.  Call once at start-up; children (gnuplot) inherit it. */
void sim_atomic_ignore_sigxfsz(void);

#endif
