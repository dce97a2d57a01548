/* csv.h - fields of the CSV files sim writes (timeseries.csv, compare.csv,
 * sweep.csv, the data of the sweep charts), as RFC 4180 has them.
 *
 * A field holding a comma, a double quote, a line break or a space at
 * either end is written between double quotes, its quotes doubled; any
 * other field is written as it is.  So every row of a file has as many
 * fields as its header, whatever the names and values hold.  Callers
 * write the separating commas and the end of each row.
 */
#ifndef SIM_CSV_H
#define SIM_CSV_H

#include <stdio.h>

/* Writes s as one field. */
void sim_csv_field(FILE *f, const char *s);

/* Writes a then b as one field ("p99_s" and "_ci95": "p99_s_ci95"). */
void sim_csv_field2(FILE *f, const char *a, const char *b);

/* Writes v as one field: the shortest decimal that reads back as v
 * (sim_json_format_num), or nothing when v is not finite. */
void sim_csv_num(FILE *f, double v);
/* The same into buf (at least SIM_CSV_NUM_MAX bytes); its length. */
#define SIM_CSV_NUM_MAX 32
size_t sim_csv_num_text(char *buf, double v);

#endif
