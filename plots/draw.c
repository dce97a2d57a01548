/* draw.c - see draw.h.  The invariant: when plots_draw_fini returns, every
 * gnuplot started and anything those started are gone, and each chart's
 * image is either complete or absent. */
#include "plots/draw.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

enum outcome { DRAWN, FAILED, NOT_INSTALLED, TIMED_OUT, INTERRUPTED };

static double timeout_from_env(void)
{
	const char *s = getenv("SIM_GNUPLOT_TIMEOUT_S");
	if (!s || !*s)
		return PLOTS_DRAW_TIMEOUT_S;
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (*end || errno || !(v > 0) || !isfinite(v)) {
		fprintf(stderr, "sim: warning: ignoring SIM_GNUPLOT_TIMEOUT_S='%s' (expected seconds > 0); each chart gets %g s\n",
			s, PLOTS_DRAW_TIMEOUT_S);
		return PLOTS_DRAW_TIMEOUT_S;
	}
	return v;
}

void plots_draw_init(struct plots_draw *d, const char *dir, bool on, bool svg,
		     const volatile sig_atomic_t *interrupt)
{
	*d = (struct plots_draw){ .dir = dir, .ext = svg ? "svg" : "png", .on = on,
				  .interrupt = interrupt, .timeout_s = PLOTS_DRAW_TIMEOUT_S, .at_once = 1 };
	if (on)
		d->timeout_s = timeout_from_env();
}

static bool interrupted(const struct plots_draw *d)
{
	return d->interrupt && *d->interrupt;
}

/* Starts `gnuplot script` in dir, leading a new process group: -1 if it
 * cannot fork.  The child does only what is safe after a fork. */
static pid_t spawn(const char *dir, const char *script)
{
#ifdef __linux__
	pid_t parent = getpid();
#endif
	pid_t pid = fork();
	if (pid != 0) {
		if (pid > 0)
			setpgid(pid, pid);	/* as the child does: no race with a kill */
		return pid;
	}
	setpgid(0, 0);
#ifdef __linux__
	/* should sim itself be killed outright, gnuplot goes too */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
		_exit(126);
#endif
	if (chdir(dir) < 0)
		_exit(126);
	/* its own process group cannot read the terminal; its messages go
	 * to a log, not the user's terminal */
	int in = open("/dev/null", O_RDONLY);
	int log = open("gnuplot.log", O_WRONLY | O_CREAT | O_APPEND, 0644);
	if (in < 0 || log < 0 || dup2(in, 0) < 0 || dup2(log, 1) < 0 || dup2(log, 2) < 0)
		_exit(126);
	execlp("gnuplot", "gnuplot", script, (char *)NULL);
	_exit(errno == ENOENT ? 127 : 126);
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + 1e-9 * (double)(t.tv_nsec - t0->tv_nsec);
}

/* Whether job's gnuplot has ended, by itself (its outcome in *o) or
 * because its deadline passed or an interrupt came.  WNOWAIT: an exited
 * gnuplot stays a zombie, so its process group id cannot be reused
 * before reap kills the group. */
static bool ended(const struct plots_draw *d, const struct plots_draw_job *job, enum outcome *o)
{
	siginfo_t si;
	memset(&si, 0, sizeof si);
	if (waitid(P_PID, (id_t)job->pid, &si, WEXITED | WNOHANG | WNOWAIT) < 0 && errno != EINTR) {
		*o = FAILED;
		return true;
	}
	if (si.si_pid == job->pid) {
		bool ok = si.si_code == CLD_EXITED;
		*o = ok && si.si_status == 0 ? DRAWN : ok && si.si_status == 127 ? NOT_INSTALLED : FAILED;
		return true;
	}
	if (interrupted(d)) {
		*o = INTERRUPTED;
		return true;
	}
	if (seconds_since(&job->t0) >= d->timeout_s) {
		*o = TIMED_OUT;
		return true;
	}
	return false;
}

/* Kills the job's whole group (gnuplot, or whatever it left behind) and
 * reaps it. */
static void reap(pid_t pid)
{
	kill(-pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno != ECHILD)
		;
}

/* Whether path is a whole image: a regular file that ends as a PNG (its
 * IEND chunk) or an SVG document does.  gnuplot exits 0 even when its
 * writes failed (a full disk), so its status alone cannot tell. */
static bool complete(const char *path, bool svg)
{
	struct stat st;
	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size < 16)
		return false;
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	static const unsigned char png[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	static const unsigned char iend[12] = { 0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82 };
	unsigned char head[8], tail[17] = { 0 };	/* a NUL after the tail */
	long back = svg ? 16 : 12;
	bool ok = fread(head, 1, 8, f) == 8 && fseek(f, -back, SEEK_END) == 0 &&
		  fread(tail, 1, (size_t)back, f) == (size_t)back;
	fclose(f);
	if (!ok)
		return false;
	if (svg)
		return strstr((const char *)tail, "</svg>") != NULL;
	return !memcmp(head, png, 8) && !memcmp(tail, iend, 12);
}

/* What became of a chart whose gnuplot has been reaped. */
static void settle(struct plots_draw *d, const char *name, enum outcome o)
{
	if (o == NOT_INSTALLED) {
		d->missing = true;
		return;
	}
	char script[160], image[4300];
	snprintf(script, sizeof script, "%s.gp", name);
	snprintf(image, sizeof image, "%s/%s.%s", d->dir, name, d->ext);
	if (o == DRAWN && complete(image, !strcmp(d->ext, "svg")))
		return;
	bool had = remove(image) == 0;
	bool stopped_before = d->stopped;
	d->stopped = d->stopped || o == TIMED_OUT || o == INTERRUPTED;
	if (o == INTERRUPTED && stopped_before)
		return;	/* killed because another chart stopped the drawing */
	d->failed = d->failed || o != INTERRUPTED;
	if (o == DRAWN)
		fprintf(stderr, "sim: warning: gnuplot left %s incomplete (is the disk full? see %s/gnuplot.log); it was removed, the data and the script are kept\n",
			image, d->dir);
	else if (o == FAILED)
		fprintf(stderr, "sim: warning: gnuplot failed on %s/%s (see %s/gnuplot.log); the data and the script are kept%s%s\n",
			d->dir, script, d->dir, had ? ", its unfinished image removed: " : "", had ? image : "");
	else if (o == TIMED_OUT)
		fprintf(stderr, "sim: warning: gnuplot did not finish %s/%s within %g s (SIM_GNUPLOT_TIMEOUT_S) and was killed; the remaining charts were not drawn, their scripts are kept\n",
			d->dir, script, d->timeout_s);
}

/* Waits until a gnuplot running ends, and settles it; once the drawing
 * stopped, ends every one still running.  It polls (every 5 ms, a cost
 * nobody sees beside gnuplot's own start-up) rather than waiting for
 * SIGCHLD: sim's signal handler then needs no part in it, and the
 * interrupt flag is seen as soon as it is set. */
static void wait_one(struct plots_draw *d)
{
	for (;;) {
		for (unsigned i = 0; i < d->nrunning; i++) {
			struct plots_draw_job job = d->running[i];
			enum outcome o;
			if (!ended(d, &job, &o)) {
				if (!d->stopped)
					continue;
				o = INTERRUPTED;	/* another chart stopped the drawing */
			}
			reap(job.pid);
			d->running[i] = d->running[--d->nrunning];
			settle(d, job.name, o);
			return;
		}
		nanosleep(&(struct timespec){ .tv_nsec = 5000000 }, NULL);
	}
}

void plots_draw_at_once(struct plots_draw *d, unsigned n)
{
	d->at_once = n < 1 ? 1 : n > PLOTS_DRAW_MAX ? PLOTS_DRAW_MAX : n;
}

void plots_draw_chart(struct plots_draw *d, const char *name)
{
	while (d->nrunning && (d->nrunning >= d->at_once || d->stopped || d->missing))
		wait_one(d);
	if (!d->on || d->missing || d->stopped)
		return;
	if (interrupted(d)) {
		d->stopped = true;
		return;
	}
	struct plots_draw_job *job = &d->running[d->nrunning];
	char script[160];
	snprintf(script, sizeof script, "%s.gp", name);
	snprintf(job->name, sizeof job->name, "%s", name);
	clock_gettime(CLOCK_MONOTONIC, &job->t0);
	job->pid = spawn(d->dir, script);
	if (job->pid < 0) {
		settle(d, name, FAILED);
		return;
	}
	d->nrunning++;
}

bool plots_draw_fini(struct plots_draw *d)
{
	while (d->nrunning)
		wait_one(d);
	if (!d->failed) {
		char log[4200];
		snprintf(log, sizeof log, "%s/gnuplot.log", d->dir);
		remove(log);
	}
	if (d->missing)
		fprintf(stderr, "sim: note: gnuplot is not installed, so no charts were drawn; their scripts are in %s/ "
				"(install gnuplot, then run `gnuplot NAME.gp` there)\n", d->dir);
	else if (d->on && d->stopped && interrupted(d))
		fprintf(stderr, "sim: note: interrupted, so the charts were not all drawn; their scripts are in %s/\n",
			d->dir);
	return d->on && !d->missing && !d->failed && !d->stopped;
}
