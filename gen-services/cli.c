/* cli.c - the shared command-line conventions (see cli.h). */
#include "cli.h"

#include <stdarg.h>
#include <stdio.h>

int cli_usage_error(const char *program, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s: ", program);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help' for more information.\n", program);
	return 2;
}

int cli_option_error(const char *program, int getopt_result, const char *arg)
{
	if (getopt_result == ':')
		return cli_usage_error(program, "option '%s' needs an argument", arg);
	return cli_usage_error(program, "unknown option '%s'", arg);
}

int cli_printed(void)
{
	return fflush(stdout) == 0 && !ferror(stdout) ? -1 : 2;
}

int cli_selection_option(const char *program, int option, const char *arg, struct output_selection *selection)
{
	switch (option) {
	case 'p':
		if (output_parse_protocols(arg, &selection->protocols) < 0)
			return cli_usage_error(program, "bad protocol list '%s' (comma-separated tcp, udp, sctp, dccp)",
					       arg);
		return 0;
	case 'r':
		if (output_parse_ranges(arg, &selection->ranges) < 0)
			return cli_usage_error(program, "unknown range mode '%s' (first, expand or skip)", arg);
		return 0;
	case CLI_OPT_FULL_DESCRIPTIONS:
		selection->full_descriptions = true;
		return 0;
	default: /* 'D' */
		selection->descriptions = false;
		return 0;
	}
}
