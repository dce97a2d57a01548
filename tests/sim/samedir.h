/* samedir.h - two output folders hold the same files with the same
 * bytes (summary.json's wall_s lines aside: the one figure that depends
 * on the machine's speed). */
#ifndef TEST_SAMEDIR_H
#define TEST_SAMEDIR_H

/* Asserts that folders a and b hold the same files, byte for byte;
 * returns how many files were compared. */
int th_same_dir(const char *a, const char *b);

/* Writes OUT in place of every mention of folder dir in text (what a
 * command says names its output folder). */
void th_unpath(char *text, const char *dir);

/* Removes, in place, every line of text that holds needle (a figure
 * that depends on the machine's speed, such as "events/s"). */
void th_drop_lines(char *text, const char *needle);

/* Two runs of one command into folders a and b, oa and ob what each
 * said on stdout (freed here): what they said, but for the folders'
 * names and the speed, and their folders are the same (at least
 * min_files files); the folders are removed. */
void th_same_outputs(const char *a, char *oa, const char *b, char *ob, int min_files);

#endif
