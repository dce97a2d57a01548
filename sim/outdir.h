/* outdir.h - a run owns its output folder, whole.
 *
 * A run writes into a staging folder beside its target (PARENT/.NAME.
 * staging-XXXXXX) and moves it into place at the end with one rename, so
 * the target holds the files of one run only: the previous run's until
 * the move, the new run's after it.  The folder a run leaves carries a
 * marker file, .sim-run ({"written_by": "sim", "command": ..., "complete":
 * ...}); an existing target is replaced only when it carries that marker
 * or is empty, never a folder sim did not write.  A lock (PARENT/.NAME.lock,
 * flock) refuses a second run into the same target while one is under way;
 * the lock holder also clears staging folders left by runs that crashed.
 */
#ifndef SIM_OUTDIR_H
#define SIM_OUTDIR_H

#include <stdbool.h>

#define SIM_OUTDIR_MARKER ".sim-run"

struct sim_outdir {
	char target[4096];	/* as given, without trailing slashes */
	char staging[4096];	/* where to write until the commit */
	char lock[4096];
	const char *command;	/* "run", "compare", "sweep": for the marker */
	int lock_fd;
};

/* Claims target for a run of command: locks it, checks that it may be
 * replaced, creates the staging folder (with a marker saying incomplete).
 * 0, or the exit status after printing why: 1 (I/O: the parent cannot be
 * written), 2 (refused: in use by another run, or a folder sim did not
 * write). */
int sim_outdir_open(struct sim_outdir *d, const char *target, const char *command);

/* Marks the staging folder complete or not, moves it onto the target
 * (removing the previous run's folder) and releases the lock.  0, or -1
 * after printing why (the staging folder is then kept, and named). */
int sim_outdir_commit(struct sim_outdir *d, bool complete);

/* Removes the staging folder and releases the lock: nothing was run. */
void sim_outdir_abandon(struct sim_outdir *d);

/* Removes path and everything under it, following no symbolic link.
 * 0, or -1 with errno set. */
int sim_rmtree(const char *path);

#endif
