/* usage.h - what `sim` says of its commands and options: the short usage
 * after a usage error (stderr) and the whole help (`sim --help`). */
#ifndef SIM_USAGE_H
#define SIM_USAGE_H

extern const char sim_usage[];
extern const char sim_help[];

#endif
