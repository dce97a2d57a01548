/* outdir.c - staging folder, marker, lock and the final move; see
 * outdir.h.  Invariant: while the lock is held, no other sim process
 * writes to the target or to any staging folder of it. */
#define _GNU_SOURCE	/* renameat2 */
#include "sim/outdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/atomic.h"
#include "sim/output.h"

static int rmtree_at(int dirfd, const char *name)
{
	struct stat st;
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlinkat(dirfd, name, 0);
	int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	if (!d) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	int r = 0;
	for (struct dirent *e; r == 0 && (e = readdir(d));)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			r = rmtree_at(fd, e->d_name);
	closedir(d);
	return r == 0 ? unlinkat(dirfd, name, AT_REMOVEDIR) : -1;
}

int sim_rmtree(const char *path)
{
	return rmtree_at(AT_FDCWD, path);
}

static bool has_marker(const char *dir)
{
	char path[4200];
	struct stat st;
	snprintf(path, sizeof path, "%s/%s", dir, SIM_OUTDIR_MARKER);
	return lstat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static bool is_empty(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return false;
	struct dirent *e;
	while ((e = readdir(d)) && (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")))
		;
	closedir(d);
	return !e;
}

/* Whether the target may be replaced: absent, empty, or sim's.  0, or 2
 * after saying why not. */
static int check_target(const struct sim_outdir *d)
{
	struct stat st;
	if (lstat(d->target, &st) < 0)
		return 0;
	const char *why = NULL;
	if (S_ISLNK(st.st_mode))
		why = "is a symbolic link; give the folder it points to";
	else if (!S_ISDIR(st.st_mode))
		why = "exists and is not a folder";
	else if (!has_marker(d->target) && !is_empty(d->target))
		why = "exists, is not empty and was not written by sim (it has no " SIM_OUTDIR_MARKER
		      " file); choose another --out, or empty or remove it";
	if (!why)
		return 0;
	fprintf(stderr, "sim: output folder '%s' %s\n", d->target, why);
	return 2;
}

/* Splits d->target into parent and name (both into buffers). */
static int split(const struct sim_outdir *d, char *parent, size_t psize, const char **name)
{
	const char *slash = strrchr(d->target, '/');
	*name = slash ? slash + 1 : d->target;
	if (!**name || !strcmp(*name, ".") || !strcmp(*name, "..")) {
		fprintf(stderr, "sim: output folder '%s' must end in a folder name (not '.', '..' or '/')\n",
			d->target);
		return 2;
	}
	if (!slash)
		snprintf(parent, psize, ".");
	else if (slash == d->target)
		snprintf(parent, psize, "/");
	else
		snprintf(parent, psize, "%.*s", (int)(slash - d->target), d->target);
	return 0;
}

/* Takes the lock file, without waiting.  A lock file is removed by its
 * holder when done, so one opened just before that removal is stale:
 * the inode check retries on the new one. */
static int take_lock(struct sim_outdir *d)
{
	for (;;) {
		int fd = open(d->lock, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
		if (fd < 0) {
			fprintf(stderr, "sim: cannot write to output folder '%s': %s\n", d->target,
				strerror(errno));
			return 1;
		}
		if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
			int err = errno;
			close(fd);
			if (err == EWOULDBLOCK) {
				fprintf(stderr, "sim: output folder '%s' is in use by another sim run (it holds %s); wait for it to end or choose another --out\n",
					d->target, d->lock);
				return 2;
			}
			fprintf(stderr, "sim: cannot lock %s: %s\n", d->lock, strerror(err));
			return 1;
		}
		struct stat a, b;
		if (fstat(fd, &a) == 0 && stat(d->lock, &b) == 0 && a.st_ino == b.st_ino &&
		    a.st_dev == b.st_dev) {
			d->lock_fd = fd;
			return 0;
		}
		close(fd);
	}
}

static void release_lock(struct sim_outdir *d)
{
	if (d->lock_fd < 0)
		return;
	unlink(d->lock);
	close(d->lock_fd);
	d->lock_fd = -1;
}

/* Staging folders of this target left by runs that died (the lock says
 * none is alive); only those carrying the marker. */
static void clear_stale(const char *parent, const char *name)
{
	char prefix[4200];
	snprintf(prefix, sizeof prefix, ".%s.staging-", name);
	DIR *dir = opendir(parent);
	if (!dir)
		return;
	for (struct dirent *e; (e = readdir(dir));) {
		char path[8400];
		if (strncmp(e->d_name, prefix, strlen(prefix)))
			continue;
		snprintf(path, sizeof path, "%s/%s", parent, e->d_name);
		if (has_marker(path))
			sim_rmtree(path);
	}
	closedir(dir);
}

struct marker {
	const char *command;
	bool complete;
};

static void write_marker(FILE *f, const void *what)
{
	const struct marker *m = what;
	fprintf(f, "{\"written_by\": \"sim\", \"command\": \"%s\", \"complete\": %s}\n", m->command,
		m->complete ? "true" : "false");
}

static int mark(const struct sim_outdir *d, bool complete)
{
	struct marker m = { d->command, complete };
	return sim_atomic_write_in(d->staging, SIM_OUTDIR_MARKER, write_marker, &m);
}

static int make_staging(struct sim_outdir *d, const char *parent, const char *name)
{
	if ((size_t)snprintf(d->staging, sizeof d->staging, "%s/.%s.staging-XXXXXX", parent, name) >=
		    sizeof d->staging ||
	    !mkdtemp(d->staging)) {
		fprintf(stderr, "sim: cannot write to output folder '%s': %s\n", d->target,
			strerror(errno));
		return 1;
	}
	mode_t mask = umask(0);	/* mkdtemp's 0700 becomes what mkdir gives */
	umask(mask);
	chmod(d->staging, 0777 & ~mask);
	if (mark(d, false) < 0) {
		sim_rmtree(d->staging);
		return 1;
	}
	return 0;
}

int sim_outdir_open(struct sim_outdir *d, const char *target, const char *command)
{
	*d = (struct sim_outdir){ .command = command, .lock_fd = -1 };
	size_t n = strlen(target);
	while (n > 1 && target[n - 1] == '/')
		n--;
	if (n >= sizeof d->target - 64) {
		fprintf(stderr, "sim: output folder name too long: '%s'\n", target);
		return 2;
	}
	memcpy(d->target, target, n);
	d->target[n] = 0;
	char parent[4096];
	const char *name;
	int rc = split(d, parent, sizeof parent, &name);
	if (rc)
		return rc;
	if (sim_mkdirs(parent) < 0 || access(parent, W_OK) < 0) {
		fprintf(stderr, "sim: cannot write to output folder '%s': %s\n", d->target, strerror(errno));
		return 1;
	}
	snprintf(d->lock, sizeof d->lock, "%s/.%s.lock", parent, name);
	if ((rc = take_lock(d)) != 0)
		return rc;
	if ((rc = check_target(d)) == 0) {
		clear_stale(parent, name);
		rc = make_staging(d, parent, name);
	}
	if (rc)
		release_lock(d);
	return rc;
}

/* Puts staging where the target is; what was there (an empty or sim's
 * folder, checked) ends under the staging name and is removed. */
static int swap_into_place(struct sim_outdir *d)
{
	struct stat st;
	if (lstat(d->target, &st) < 0)
		return rename(d->staging, d->target);
	if (renameat2(AT_FDCWD, d->staging, AT_FDCWD, d->target, RENAME_EXCHANGE) == 0) {
		sim_rmtree(d->staging);	/* the old run: best effort */
		return 0;
	}
	if (errno != EINVAL && errno != ENOSYS)
		return -1;
	/* no atomic exchange here: set the old folder aside first */
	char old[4200];
	snprintf(old, sizeof old, "%s.old", d->staging);
	if (rename(d->target, old) < 0)
		return -1;
	if (rename(d->staging, d->target) < 0) {
		rename(old, d->target);
		return -1;
	}
	sim_rmtree(old);
	return 0;
}

int sim_outdir_commit(struct sim_outdir *d, bool complete)
{
	int rc = mark(d, complete);
	if (rc == 0 && check_target(d) != 0)
		rc = -1;	/* someone else's folder appeared there meanwhile */
	else if (rc == 0 && swap_into_place(d) < 0) {
		fprintf(stderr, "sim: cannot move the outputs into %s: %s\n", d->target, strerror(errno));
		rc = -1;
	}
	if (rc < 0)
		fprintf(stderr, "sim: the outputs are kept in %s\n", d->staging);
	release_lock(d);
	return rc;
}

void sim_outdir_abandon(struct sim_outdir *d)
{
	if (d->staging[0])
		sim_rmtree(d->staging);
	release_lock(d);
}
