/* draw.c - see draw.h.  The invariant: when plots_draw_chart returns, the
 * gnuplot it started and anything that gnuplot started are gone, and the
 * chart's image is either complete or absent. */
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
				  .interrupt = interrupt, .timeout_s = PLOTS_DRAW_TIMEOUT_S };
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

/* Waits for gnuplot until it exits, the deadline passes or an interrupt
 * comes; then kills its whole group and reaps it.  It polls (every 5 ms,
 * a cost nobody sees beside gnuplot's own start-up) rather than waiting
 * for SIGCHLD: sim's signal handler then needs no part in it, and the
 * interrupt flag is seen as soon as it is set. */
static enum outcome wait_for(const struct plots_draw *d, pid_t pid)
{
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	enum outcome o = FAILED;
	for (;;) {
		siginfo_t si;
		memset(&si, 0, sizeof si);
		/* WNOWAIT: the exited gnuplot stays a zombie, so its process
		 * group id cannot be reused before the kill below */
		if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) < 0 && errno != EINTR)
			break;
		if (si.si_pid == pid) {
			bool ok = si.si_code == CLD_EXITED;
			o = ok && si.si_status == 0 ? DRAWN : ok && si.si_status == 127 ? NOT_INSTALLED : FAILED;
			break;
		}
		if (interrupted(d)) {
			o = INTERRUPTED;
			break;
		}
		if (seconds_since(&t0) >= d->timeout_s) {
			o = TIMED_OUT;
			break;
		}
		nanosleep(&(struct timespec){ .tv_nsec = 5000000 }, NULL);
	}
	kill(-pid, SIGKILL);	/* gnuplot, or whatever it left behind */
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	return o;
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

void plots_draw_chart(struct plots_draw *d, const char *name)
{
	if (!d->on || d->missing || d->stopped)
		return;
	if (interrupted(d)) {
		d->stopped = true;
		return;
	}
	char script[160], image[4300];
	snprintf(script, sizeof script, "%s.gp", name);
	snprintf(image, sizeof image, "%s/%s.%s", d->dir, name, d->ext);
	pid_t pid = spawn(d->dir, script);
	enum outcome o = pid < 0 ? FAILED : wait_for(d, pid);
	if (o == NOT_INSTALLED) {
		d->missing = true;
		return;
	}
	if (o == DRAWN && complete(image, !strcmp(d->ext, "svg")))
		return;
	bool had = remove(image) == 0;
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
	d->stopped = o == TIMED_OUT || o == INTERRUPTED;
}

bool plots_draw_fini(struct plots_draw *d)
{
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
