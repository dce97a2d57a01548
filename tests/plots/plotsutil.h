/* plotsutil.h - the set-up the end-to-end chart tests share: each test
 * runs the sim binary (tests/helpers.h) into a fresh folder, removed
 * after it.
 *
 * PU_SUITE(suite, prefix, seconds) defines, in the test file, that
 * folder as `tmp` and the suite whose tests get it. */
#ifndef TESTS_PLOTS_PLOTSUTIL_H
#define TESTS_PLOTS_PLOTSUTIL_H

#include <criterion/criterion.h>

#include "tests/helpers.h"

/* Makes a fresh folder /tmp/PREFIX-XXXXXX into tmp (64 bytes) and runs
 * the sim under test (SIM_EXE), not one named by an earlier test. */
void pu_setup(char *tmp, const char *prefix);

/* Runs sim with args (NULL-ended); asserts it exits 0, else fails the
 * test with its stderr. */
void pu_run(const char *const *args);

#define PU_SUITE(suite, prefix, seconds)                                        \
	static char tmp[64];                                                    \
	static void suite##_setup(void)                                         \
	{                                                                       \
		pu_setup(tmp, prefix);                                          \
	}                                                                       \
	static void suite##_teardown(void)                                      \
	{                                                                       \
		th_rmtree(tmp);                                                 \
	}                                                                       \
	TestSuite(suite, .init = suite##_setup, .fini = suite##_teardown,      \
		  .timeout = seconds)

#endif
