/* cli.h - the command-line conventions gen-services and
 * update-iana-services share: how a usage error is said, how --help and
 * --version end, and the options that choose how a services file is
 * written (-p, -r, -D, --full-descriptions). */
#ifndef CLI_H
#define CLI_H

#include "output_format.h"

/* "PROGRAM: MESSAGE" and a pointer to --help on standard error; returns
 * the usage exit status, 2. */
int cli_usage_error(const char *program, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* What getopt_long() returned (':' for a missing argument, '?' for an
 * unknown option) for ARG, said as a usage error (2). */
int cli_option_error(const char *program, int getopt_result, const char *arg);
/* After --help or --version was printed: -1 (exit 0) when standard output
 * took it, else 2. */
int cli_printed(void);
/* getopt_long()'s value for --full-descriptions in both programs. */
#define CLI_OPT_FULL_DESCRIPTIONS 512

/* OPTION ('p', 'r', 'D' or CLI_OPT_FULL_DESCRIPTIONS) with ARG into
 * SELECTION: 0, or the usage error (2), said. */
int cli_selection_option(const char *program, int option, const char *arg, struct output_selection *selection);

#endif /* CLI_H */
