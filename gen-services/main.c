/* main.c - the gen-services command: options, loading the registry, choosing
 * the writer, and delivering the result (file, stdout, or --check); the
 * --diff mode.  Fetching and installing is update-iana-services' (updater/).
 *
 * Exit status: 0 success, 1 --check or --diff found a difference, 2 usage,
 * input or output error. */
#include "cli.h"
#include "generate.h"
#include "iana_registry.h"
#include "index_reader.h"
#include "install_paths.h"
#include "line_diff.h"
#include "local_services.h"
#include "output_file.h"
#include "output_format.h"
#include "registry_diff.h"
#include "services_base.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef GEN_SERVICES_VERSION
#define GEN_SERVICES_VERSION "0.1"
#endif

enum exit_status {
	EXIT_OK = 0,
	EXIT_DIFFERENT = 1,
	EXIT_TROUBLE = 2,
};

struct settings {
	const char *registry;
	const char *output;
	const char *check;
	const char *merge;
	enum output_kind format;
	bool format_given;
	struct output_selection selection;
	bool quiet;
	bool verbose;
	bool diff;                      /* --diff OLD NEW */
	const char *diff_old, *diff_new;
	bool no_base;                   /* --no-base */
};

/* Long options without a short form. */
enum {
	OPT_DIFF = 256,
	OPT_UPDATE, /* moved to update-iana-services: says so */
	OPT_NO_BASE,
};

static const char *program = "gen-services";

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: %s [OPTIONS] [REGISTRY]\n"
		"       %s --diff [-v] [--format json] OLD NEW\n"

		"Write a services(5) file (or Wireshark's services format, JSON, or the binary\n"
		"services index) from the IANA Service Name and Transport Protocol Port Number\n"
		"Registry, or compare two registries.  (update-iana-services fetches and\n"
		"installs the current registry.)\n"
		"\n"
		"REGISTRY is IANA's XML, CSV or plain-text file (told apart by content); '-'\n"
		"reads standard input; the default is\n"
		"  %s\n"
		"\n"
		"Options:\n"
		"  -o, --output=FILE       write to FILE (a regular file is replaced atomically)\n"
		"                          instead of standard output ('-': standard output)\n"
		"  -f, --format=FORMAT     services (default), wireshark, json or index (the\n"
		"                          binary services index read by the NSS module; never\n"
		"                          written to a terminal; takes no -p, -r, -D or -m)\n"
		"  -p, --protocols=LIST    only these protocols: comma-separated tcp,udp,sctp,dccp\n"
		"                          (default: all four)\n"
		"  -r, --ranges=MODE       named port ranges (x11 6000-6063): first (write the\n"
		"                          first port; services default), expand (one line per\n"
		"                          port), skip; wireshark writes whole ranges by default\n"
		"  -D, --no-descriptions   leave out the '# description' comments\n"
		"      --full-descriptions services: keep whole descriptions (by default a\n"
		"                          description is shortened to keep its line within\n"
		"                          127 bytes, which musl's reader needs)\n"
		"  -m, --merge=LOCAL       keep the entries of the services file LOCAL; they win\n"
		"                          over the registry's on the same name or port (default:\n"
		"                          FILE.local beside a services output FILE, if it exists)\n"
		"      --no-base           services output FILE: do not keep or merge the\n"
		"                          distribution's file FILE.dist (see gen-services(1))\n"
		"  -c, --check=FILE        write nothing; exit 0 if FILE equals what would be\n"
		"                          written, else print a diff and exit 1 (an index:\n"
		"                          say whether it was built from REGISTRY)\n"
		"  -q, --quiet             do not print warnings about the registry\n"
		"      --diff              compare registry files OLD and NEW (any formats): count\n"
		"                          the assignments added, removed and changed; exit 0 when\n"
		"                          there are none, 1 when there are; --format json for\n"
		"                          one JSON document listing every change\n"
		"  -v, --verbose           --diff: also one line per change\n"
		"  -h, --help              show this help and exit\n"
		"  -V, --version           show the version and exit\n"
		"\n"
		"Exit status: 0 success, 1 difference found by --check or --diff, 2 usage,\n"
		"input or output error.  See gen-services(1).\n",
		program, program, DEFAULT_REGISTRY_PATH);
}

#define usage_error(...) cli_usage_error(program, __VA_ARGS__)

/* --diff OLD NEW: two registries, no output options. */
static int check_diff_arguments(int argc, char **argv, struct settings *s)
{
	if (argc != 2)
		return usage_error("%s", "--diff needs two registries: OLD NEW");
	s->diff_old = argv[0];
	s->diff_new = argv[1];
	if (strcmp(s->diff_old, "-") == 0 && strcmp(s->diff_new, "-") == 0)
		return usage_error("%s", "--diff can read only one registry from standard input");
	if (s->format_given && s->format != FORMAT_JSON)
		return usage_error("%s", "--diff writes text, or JSON with --format json");
	if (s->output || s->check || s->merge || s->selection.protocols != ALL_PROTOCOLS ||
	    s->selection.ranges != RANGES_DEFAULT || !s->selection.descriptions)
		return usage_error("%s", "--diff takes none of --output, --check, --merge, --protocols, --ranges, --no-descriptions");
	return 0;
}

static int parse_arguments(int argc, char **argv, struct settings *s)
{
	static const struct option options[] = {
		{"output", required_argument, NULL, 'o'},
		{"format", required_argument, NULL, 'f'},
		{"protocols", required_argument, NULL, 'p'},
		{"ranges", required_argument, NULL, 'r'},
		{"no-descriptions", no_argument, NULL, 'D'},
		{"merge", required_argument, NULL, 'm'},
		{"check", required_argument, NULL, 'c'},
		{"quiet", no_argument, NULL, 'q'},
		{"verbose", no_argument, NULL, 'v'},
		{"diff", no_argument, NULL, OPT_DIFF},
		{"update", no_argument, NULL, OPT_UPDATE},
		{"no-base", no_argument, NULL, OPT_NO_BASE},
		{"full-descriptions", no_argument, NULL, CLI_OPT_FULL_DESCRIPTIONS},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:f:p:r:Dm:c:qvhV", options, NULL)) != -1) {
		switch (c) {
		case 'o':
			s->output = optarg;
			break;
		case 'f':
			s->format_given = true;
			if (strcmp(optarg, "services") == 0)
				s->format = FORMAT_SERVICES;
			else if (strcmp(optarg, "wireshark") == 0)
				s->format = FORMAT_WIRESHARK;
			else if (strcmp(optarg, "json") == 0)
				s->format = FORMAT_JSON;
			else if (strcmp(optarg, "index") == 0)
				s->format = FORMAT_INDEX;
			else
				return usage_error("unknown format '%s' (services, wireshark, json or index)", optarg);
			break;
		case 'p':
		case 'r':
		case 'D':
		case CLI_OPT_FULL_DESCRIPTIONS:
			if (cli_selection_option(program, c, optarg, &s->selection) != 0)
				return EXIT_TROUBLE;
			break;
		case 'm':
			s->merge = optarg;
			break;
		case 'c':
			s->check = optarg;
			break;
		case 'q':
			s->quiet = true;
			break;
		case 'v':
			s->verbose = true;
			break;
		case OPT_DIFF:
			s->diff = true;
			break;
		case OPT_UPDATE:
			return usage_error("%s", "--update is now the program update-iana-services (see update-iana-services(8))");
		case OPT_NO_BASE:
			s->no_base = true;
			break;
		case 'h':
			usage(stdout);
			return cli_printed();
		case 'V':
			printf("gen-services %s\n", GEN_SERVICES_VERSION);
			return cli_printed();
		default: /* ':' or '?' */
			return cli_option_error(program, c, argv[optind - 1]);
		}
	}
	if (s->diff)
		return check_diff_arguments(argc - optind, argv + optind, s);
	if (s->verbose)
		return usage_error("%s", "--verbose applies to --diff");
	if (argc - optind > 1)
		return usage_error("only one registry can be read; extra argument '%s'", argv[optind + 1]);
	s->registry = optind < argc ? argv[optind] : DEFAULT_REGISTRY_PATH;
	if (s->output && s->check)
		return usage_error("%s", "--output and --check exclude each other");
	if (s->merge && s->format == FORMAT_JSON)
		return usage_error("%s", "--merge applies to the services and wireshark formats, not json");
	if (s->format == FORMAT_INDEX) {
		/* The index always holds the whole services view. */
		if (s->merge || s->selection.protocols != ALL_PROTOCOLS ||
		    s->selection.ranges != RANGES_DEFAULT || !s->selection.descriptions)
			return usage_error("%s", "--merge, --protocols, --ranges and --no-descriptions do not apply to the index format");
		bool to_stdout = s->output == NULL || strcmp(s->output, "-") == 0;
		if (to_stdout && s->check == NULL && isatty(STDOUT_FILENO)) {
			fprintf(stderr, "%s: refusing to write the binary index to a terminal; use -o FILE or redirect standard output\n",
				program);
			return EXIT_TROUBLE;
		}
	}
	return 0;
}

struct diagnostic_printer {
	bool quiet;
	unsigned warnings;
	unsigned errors;
};

static void print_diagnostic(const struct iana_diagnostic *d, void *userdata)
{
	struct diagnostic_printer *printer = userdata;
	bool error = d->severity == IANA_SEVERITY_ERROR;
	printer->errors += error;
	if (!error) {
		printer->warnings++;
		if (printer->quiet)
			return;
	}
	if (d->line && d->column)
		fprintf(stderr, "%s:%u:%u: ", d->file, (unsigned)d->line, (unsigned)d->column);
	else if (d->line)
		fprintf(stderr, "%s:%u: ", d->file, (unsigned)d->line);
	else
		fprintf(stderr, "%s: ", d->file);
	fprintf(stderr, "%s: %s\n", error ? "error" : "warning", d->message);
}

/* Load PATH ("-": standard input) with diagnostics through PRINTER.  On
 * failure says what became of it and returns -1. */
static int load_registry(const char *path, struct diagnostic_printer *printer,
			 struct iana_registry **registry, const char *consequence)
{
	bool from_stdin = strcmp(path, "-") == 0;
	struct iana_load_options options = {
		.display_name = from_stdin ? "<stdin>" : path,
		.on_diagnostic = print_diagnostic,
		.userdata = printer,
	};
	int loaded = from_stdin ? iana_registry_load_fd(STDIN_FILENO, &options, registry)
				: iana_registry_load_path(path, &options, registry);
	if (loaded == IANA_LOAD_OK)
		return 0;
	/* The diagnostics said where; this says what became of the run. */
	fprintf(stderr, "%s: %s: %s; %s\n", program, options.display_name, iana_load_result_str(loaded),
		consequence);
	return -1;
}

static void describe_side(FILE *out, const char *mark, const char *path,
			  const struct iana_registry *registry)
{
	char updated[16];
	size_t n;
	iana_registry_records(registry, &n);
	iana_date_format(iana_registry_updated(registry), updated, sizeof(updated));
	fprintf(out, "%s %s (Last Updated %s, %zu records)\n", mark, strcmp(path, "-") ? path : "<stdin>",
		*updated ? updated : "unknown", n);
}

static int run_diff(const struct settings *s, struct diagnostic_printer *printer)
{
	struct iana_registry *old = NULL, *new = NULL;
	if (load_registry(s->diff_old, printer, &old, "nothing compared") < 0)
		return EXIT_TROUBLE;
	if (load_registry(s->diff_new, printer, &new, "nothing compared") < 0) {
		iana_registry_free(old);
		return EXIT_TROUBLE;
	}
	struct registry_diff diff;
	int rc;
	if (registry_diff_compute(old, new, &diff) < 0) {
		fprintf(stderr, "%s: cannot compare: %s\n", program, strerror(errno));
		rc = EXIT_TROUBLE;
	} else {
		int written;
		if (s->format == FORMAT_JSON) {
			written = registry_diff_write_json(stdout, &diff, s->diff_old, old, s->diff_new, new);
		} else {
			describe_side(stdout, "---", s->diff_old, old);
			describe_side(stdout, "+++", s->diff_new, new);
			written = registry_diff_write_text(stdout, &diff, s->verbose);
		}
		if (fflush(stdout) != 0 || written < 0) {
			fprintf(stderr, "%s: cannot write the comparison: %s\n", program, strerror(errno));
			rc = EXIT_TROUBLE;
		} else {
			rc = diff.n_changes ? EXIT_DIFFERENT : EXIT_OK;
		}
		registry_diff_free(&diff);
	}
	iana_registry_free(old);
	iana_registry_free(new);
	return rc;
}

static int check_against(const char *path, const char *text, size_t len, bool binary)
{
	size_t old_len;
	char *old = read_whole_file(path, &old_len);
	if (old == NULL) {
		fprintf(stderr, "%s: cannot read %s: %s\n", program, path, strerror(errno));
		return EXIT_TROUBLE;
	}
	int rc;
	if (binary) {
		/* A line diff of a binary index says nothing useful. */
		rc = old_len != len || memcmp(old, text, len) != 0;
		if (rc > 0 && printf("binary index differs\n") < 0)
			rc = -1;
	} else {
		rc = line_diff_write(stdout, path, old, old_len, "generated", text, len);
	}
	free(old);
	if (fflush(stdout) != 0 || rc < 0) {
		fprintf(stderr, "%s: cannot write the difference: %s\n", program, strerror(errno));
		return EXIT_TROUBLE;
	}
	if (rc > 0) {
		fprintf(stderr, "%s: %s differs from the registry's output\n", program, path);
		return EXIT_DIFFERENT;
	}
	return EXIT_OK;
}

/* --check of an index: whether the index at PATH records REGISTRY as its
 * source (SOURCE; NULL when REGISTRY is standard input), then whether it
 * holds exactly the LEN bytes of TEXT. */
static int check_index(const char *path, const char *registry, const struct iana_index_source *source,
		       const char *text, size_t len)
{
	struct iana_index *index = NULL;
	int rc = iana_index_open(path, &index);
	if (rc != IANA_INDEX_OK) {
		fprintf(stderr, "%s: %s: %s\n", program, path,
			rc == IANA_INDEX_ERR_IO ? strerror(errno) : iana_index_error_str(rc));
		return rc == IANA_INDEX_ERR_IO ? EXIT_TROUBLE : EXIT_DIFFERENT;
	}
	struct iana_index_source recorded;
	bool known = iana_index_source(index, &recorded);
	iana_index_close(index);
	if (!known) {
		printf("%s: stale: it does not record the registry it was built from\n", path);
		return EXIT_DIFFERENT;
	}
	if (source != NULL && !iana_index_source_equal(&recorded, source)) {
		printf("%s: stale: built from a registry of %" PRIu32 " bytes, CRC-32 %08" PRIx32
		       "; %s has %" PRIu32 " bytes, CRC-32 %08" PRIx32 "\n",
		       path, recorded.size, recorded.crc32, registry, source->size, source->crc32);
		return EXIT_DIFFERENT;
	}
	return check_against(path, text, len, true);
}

static int load_local(const char *path, struct local_services **local)
{
	char error[512];
	*local = local_services_load(path, error, sizeof(error));
	if (*local == NULL) {
		fprintf(stderr, "%s: %s\n", program, error);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct settings s = {
		.format = FORMAT_SERVICES,
		.selection = {.protocols = ALL_PROTOCOLS, .descriptions = true},
	};
	int rc = parse_arguments(argc, argv, &s);
	if (rc != 0)
		return rc < 0 ? EXIT_OK : rc;

	struct diagnostic_printer printer = {.quiet = s.quiet};
	if (s.diff)
		return run_diff(&s, &printer);
	bool from_stdin = strcmp(s.registry, "-") == 0;
	struct iana_load_options load_options = {
		.display_name = from_stdin ? "<stdin>" : s.registry,
		.on_diagnostic = print_diagnostic,
		.userdata = &printer,
	};
	s.selection.source = from_stdin ? NULL : s.registry;
	static char local_path[4096];
	if (s.format == FORMAT_SERVICES)
		services_base_target(&s.selection, s.check ? s.check : s.output, s.check != NULL, s.no_base, &s.merge,
				     local_path, sizeof(local_path));

	struct local_services *local = NULL;
	if (s.merge != NULL && load_local(s.merge, &local) < 0)
		return EXIT_TROUBLE;
	s.selection.local = local;

	/* The index records the registry file it is built from. */
	struct iana_index_source source;
	bool have_source = s.format == FORMAT_INDEX && !from_stdin &&
			   iana_index_source_of_path(s.registry, &source);
	s.selection.index_source = have_source ? &source : NULL;

	struct iana_registry *registry = NULL;
	if (load_registry(s.registry, &printer, &registry, "nothing written") < 0) {
		local_services_free(local);
		return EXIT_TROUBLE;
	}

	char *text = NULL;
	size_t len = 0;
	unsigned errors = printer.errors;
	if (generate_output(s.format, registry, &s.selection, &load_options, &text, &len) < 0) {
		if (printer.errors > errors) /* it said what and where */
			fprintf(stderr, "%s: nothing written\n", program);
		else
			fprintf(stderr, "%s: cannot generate the output: %s\n", program, strerror(errno));
		rc = EXIT_TROUBLE;
	} else if (s.check != NULL) {
		rc = s.format == FORMAT_INDEX ? check_index(s.check, s.registry, s.selection.index_source, text, len)
					      : check_against(s.check, text, len, false);
	} else if (s.output != NULL) {
		char error[1024];
		rc = EXIT_OK;
		if (output_file_write(s.output, text, len, error, sizeof(error)) < 0) {
			fprintf(stderr, "%s: %s\n", program, error);
			rc = EXIT_TROUBLE;
		}
	} else {
		rc = EXIT_OK;
		if (write_all(STDOUT_FILENO, text, len) < 0) {
			fprintf(stderr, "%s: cannot write to standard output: %s\n", program, strerror(errno));
			rc = EXIT_TROUBLE;
		}
	}
	free(text);
	iana_registry_free(registry);
	local_services_free(local);
	return rc;
}
