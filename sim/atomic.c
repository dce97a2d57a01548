/* atomic.c - write to a temporary file, check every step, rename; see
 * atomic.h.  The temporary file lives in the target's own folder, since a
 * rename is atomic only within one file system. */
#include "sim/atomic.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

static void report(const struct sim_atomic *a, int err)
{
	fprintf(stderr, "sim: I/O error writing %s: %s\n", a->path, strerror(err ? err : EIO));
}

FILE *sim_atomic_open(struct sim_atomic *a, const char *path)
{
	a->f = NULL;
	if ((size_t)snprintf(a->path, sizeof a->path, "%s", path) >= sizeof a->path) {
		fprintf(stderr, "sim: cannot write %s: %s\n", path, strerror(ENAMETOOLONG));
		return NULL;
	}
	snprintf(a->tmp, sizeof a->tmp, "%s.tmp%ld", path, (long)getpid());
	int fd = open(a->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0 || !(a->f = fdopen(fd, "w"))) {
		report(a, errno);
		if (fd >= 0) {
			close(fd);
			unlink(a->tmp);
		}
		return NULL;
	}
	errno = 0;
	return a->f;
}

int sim_atomic_close(struct sim_atomic *a)
{
	/* the first error wins: a write's EFBIG or ENOSPC is the cause, what
	 * fclose says afterwards is a consequence */
	int err = ferror(a->f) ? (errno ? errno : EIO) : 0;
	if (!err && fflush(a->f) != 0)
		err = errno ? errno : EIO;
	if (!err && fsync(fileno(a->f)) != 0 && errno != EINVAL && errno != EROFS)
		err = errno;	/* EINVAL/EROFS: a special file that cannot sync */
	if (fclose(a->f) != 0 && !err)
		err = errno ? errno : EIO;
	a->f = NULL;
	if (!err && rename(a->tmp, a->path) != 0)
		err = errno;
	if (err) {
		report(a, err);
		unlink(a->tmp);
		return -1;
	}
	return 0;
}

void sim_atomic_abort(struct sim_atomic *a)
{
	if (a->f)
		fclose(a->f);
	a->f = NULL;
	unlink(a->tmp);
}

int sim_atomic_write(const char *path, sim_atomic_fn *fn, const void *what)
{
	struct sim_atomic a;
	FILE *f = sim_atomic_open(&a, path);
	if (!f)
		return -1;
	fn(f, what);
	return sim_atomic_close(&a);
}

int sim_atomic_write_in(const char *dir, const char *name, sim_atomic_fn *fn, const void *what)
{
	char path[4096];
	if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path) {
		fprintf(stderr, "sim: cannot write %s/%s: %s\n", dir, name, strerror(ENAMETOOLONG));
		return -1;
	}
	return sim_atomic_write(path, fn, what);
}

void sim_atomic_ignore_sigxfsz(void)
{
#ifdef SIGXFSZ
	signal(SIGXFSZ, SIG_IGN);
#endif
}
