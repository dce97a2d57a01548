/* csvread.h - a strict RFC 4180 reader for the tests: the files sim
 * writes are read as any spreadsheet would, so a field that breaks the
 * format shows as a wrong count of fields, not as a shifted column. */
#ifndef TEST_CSVREAD_H
#define TEST_CSVREAD_H

/* Reads the record at *p into fields (at most max, each malloc'd,
 * unquoted) and moves *p past it.  Returns the number of fields; 0 at the
 * end of the text; -1 for a malformed record (a quote inside an unquoted
 * field, text after a closing quote, a quoted field never closed) or one
 * of more than max fields. */
int th_csv_record(const char **p, char **fields, int max);

void th_csv_free(char **fields, int n);

/* Reads all of text into rows (at most max_rows of at most max_fields
 * each; free with th_csv_free_all): the number of records, -1 when one is
 * malformed.  widths[i] gets the number of fields of record i. */
int th_csv_read(const char *text, char ***rows, int *widths, int max_rows, int max_fields);
void th_csv_free_all(char ***rows, const int *widths, int n);

#endif
