/* main.c - the update-iana-services command: options, the paths it installs
 * to, signals, and the exit status; registry_update.c does the work.
 *
 * Exit status: 0 installed, already current, or (--reindex) done; 2 usage
 * error or any failure, with nothing changed. */
#include "cli.h"
#include "index_paths.h"
#include "local_services.h"
#include "services_base.h"
#include "output_format.h"
#include "registry_fetch.h"
#include "registry_update.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef IANA_SERVICES_VERSION
#define IANA_SERVICES_VERSION "0.1"
#endif

enum {
	EXIT_OK = 0,
	EXIT_TROUBLE = 2,
};

enum {
	OPT_URL = 256,
	OPT_SERVICES,
	OPT_FORCE,
	OPT_REINDEX,
	OPT_NO_BASE,
};

static const char *program = "update-iana-services";

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: %s [-v] [--url URL] [--force] [--services FILE [--merge LOCAL] [-p LIST] [-r MODE] [-D]]\n"
		"       %s --reindex [-v] [--services FILE [--merge LOCAL] [-p LIST] [-r MODE] [-D]]\n"
		"Fetch the IANA Service Name and Transport Protocol Port Number Registry, verify\n"
		"it and install it with its index where the NSS module reads them, each file\n"
		"replaced atomically; print what changed.  With --reindex, fetch nothing: rebuild\n"
		"the index (and the services file) from the installed registry when it is not\n"
		"that registry's.\n"
		"\n"
		"Options:\n"
		"      --url=URL           fetch from URL (https://, http:// or file://) instead\n"
		"                          of IANA's\n"
		"      --force             fetch unconditionally; install even an older or an\n"
		"                          identical registry\n"
		"      --reindex           fetch nothing; bring the index in line with the\n"
		"                          installed registry\n"
		"      --services=FILE     also regenerate the services(5) file FILE\n"
		"  -m, --merge=LOCAL       keep LOCAL's entries in FILE (see gen-services(1));\n"
		"                          default: FILE.local, if it exists\n"
		"  -p, --protocols=LIST    FILE: only these protocols (tcp,udp,sctp,dccp)\n"
		"  -r, --ranges=MODE       FILE: named port ranges first, expand or skip\n"
		"  -D, --no-descriptions   FILE: leave out the '# description' comments\n"
		"      --full-descriptions FILE: keep whole descriptions (else lines stay\n"
		"                          within 127 bytes)\n"
		"      --no-base           FILE: do not keep or merge the distribution's file\n"
		"                          FILE.dist (see gen-services(1))\n"
		"  -v, --verbose           the transfer's figures, one line per change\n"
		"  -h, --help              show this help and exit\n"
		"  -V, --version           show the version and exit\n"
		"\n"
		"Installs to $NSS_IANA_REGISTRY and $NSS_IANA_INDEX when set, else\n"
		"  %s\n"
		"  %s\n"
		"\n"
		"Exit status: 0 installed, already current or reindexed, 2 usage error or\n"
		"failure (nothing changed).  See update-iana-services(8).\n",
		program, program, iana_registry_path(), iana_index_path(NULL));
}

#define usage_error(...) cli_usage_error(program, __VA_ARGS__)

struct settings {
	struct update_options update;
	struct output_selection selection;
	const char *merge;
	bool no_base;
};

/* 0 to run, -1 after --help or --version, else an exit status. */
static int parse_arguments(int argc, char **argv, struct settings *s)
{
	static const struct option options[] = {
		{"url", required_argument, NULL, OPT_URL},
		{"force", no_argument, NULL, OPT_FORCE},
		{"reindex", no_argument, NULL, OPT_REINDEX},
		{"services", required_argument, NULL, OPT_SERVICES},
		{"merge", required_argument, NULL, 'm'},
		{"protocols", required_argument, NULL, 'p'},
		{"ranges", required_argument, NULL, 'r'},
		{"no-descriptions", no_argument, NULL, 'D'},
		{"full-descriptions", no_argument, NULL, CLI_OPT_FULL_DESCRIPTIONS},
		{"no-base", no_argument, NULL, OPT_NO_BASE},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	struct update_options *u = &s->update;
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":m:p:r:DvhV", options, NULL)) != -1) {
		switch (c) {
		case OPT_URL:
			u->url = optarg;
			break;
		case OPT_FORCE:
			u->force = true;
			break;
		case OPT_REINDEX:
			u->reindex = true;
			break;
		case OPT_SERVICES:
			u->services_path = optarg;
			break;
		case 'm':
			s->merge = optarg;
			break;
		case OPT_NO_BASE:
			s->no_base = true;
			break;
		case 'p':
		case 'r':
		case 'D':
		case CLI_OPT_FULL_DESCRIPTIONS:
			if (cli_selection_option(program, c, optarg, &s->selection) != 0)
				return EXIT_TROUBLE;
			break;
		case 'v':
			u->verbose = true;
			break;
		case 'h':
			usage(stdout);
			return cli_printed();
		case 'V':
			printf("%s %s\n", program, IANA_SERVICES_VERSION);
			return cli_printed();
		default: /* ':' or '?' */
			return cli_option_error(program, c, argv[optind - 1]);
		}
	}
	if (optind < argc)
		return usage_error("it installs where the NSS module reads and takes no file argument ('%s')",
				   argv[optind]);
	if (u->reindex && (u->url || u->force))
		return usage_error("%s", "--reindex fetches nothing: it takes neither --url nor --force");
	if (u->services_path == NULL &&
	    (s->merge || s->selection.protocols != ALL_PROTOCOLS || s->selection.ranges != RANGES_DEFAULT ||
	     !s->selection.descriptions || s->selection.full_descriptions || s->no_base))
		return usage_error("%s", "--merge, --protocols, --ranges, --no-descriptions, --full-descriptions and --no-base apply to the --services file");
	return 0;
}

/* Set by SIGINT, SIGTERM or SIGHUP: the update stops and cleans up, then
 * the signal is raised again. */
static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	interrupted = sig;
}

static void catch_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

int main(int argc, char **argv)
{
	struct settings s = {
		.selection = {.protocols = ALL_PROTOCOLS, .descriptions = true},
	};
	int rc = parse_arguments(argc, argv, &s);
	if (rc != 0)
		return rc < 0 ? EXIT_OK : rc;

	char error[2048];
	/* The services file's distribution base, and FILE.local by default
	 * (services_base.h), as gen-services -o FILE does. */
	static char local_path[4096];
	if (s.update.services_path != NULL)
		services_base_target(&s.selection, s.update.services_path, false, s.no_base, &s.merge, local_path,
				     sizeof(local_path));
	struct local_services *local = NULL;
	if (s.merge != NULL && (local = local_services_load(s.merge, error, sizeof(error))) == NULL) {
		fprintf(stderr, "%s: %s; nothing changed\n", program, error);
		return EXIT_TROUBLE;
	}
	s.selection.local = local;
	struct update_options *u = &s.update;
	u->registry_path = iana_registry_path();
	u->index_path = iana_index_path(NULL);
	u->merge_path = s.merge;
	u->selection = &s.selection;
	u->report = stdout;
	u->messages = stderr;
	u->interrupted = &interrupted;
	if (!u->reindex && registry_fetch_global_init(error, sizeof(error)) < 0) {
		fprintf(stderr, "%s: %s; nothing changed\n", program, error);
		local_services_free(local);
		return EXIT_TROUBLE;
	}
	catch_signals();
	int result = registry_update(u, error, sizeof(error));
	if (!u->reindex)
		registry_fetch_global_cleanup();
	local_services_free(local);
	if (fflush(stdout) != 0 && result != UPDATE_FAILED)
		fprintf(stderr, "%s: cannot write the report: %s\n", program, strerror(errno));
	if (result == UPDATE_FAILED)
		fprintf(stderr, "%s: %s\n", program, error);
	if (result == UPDATE_FAILED && interrupted) {
		/* Stopped by the signal: die of it, as the sender expects. */
		int sig = interrupted;
		signal(sig, SIG_DFL);
		raise(sig);
	}
	return result == UPDATE_FAILED ? EXIT_TROUBLE : EXIT_OK;
}
