/* main.c - the gen-services command: options, loading the registry, choosing
 * the writer, and delivering the result (file, stdout, or --check); the
 * --diff mode; --update's options and paths (registry_update.c does it).
 *
 * Exit status: 0 success (--update: installed, or already current), 1
 * --check or --diff found a difference, 2 usage, input or output error
 * (--update: any failure). */
#include "generate.h"
#include "iana_registry.h"
#include "install_paths.h"
#include "line_diff.h"
#include "local_services.h"
#include "output_file.h"
#include "output_format.h"
#include "registry_diff.h"
#include "registry_fetch.h"
#include "registry_update.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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
	bool update;                    /* --update */
	const char *url;                /* --url */
	const char *services;           /* --services FILE */
	bool force;                     /* --force */
	bool no_base;                   /* --no-base */
};

/* Long options without a short form. */
enum {
	OPT_DIFF = 256,
	OPT_UPDATE,
	OPT_URL,
	OPT_SERVICES,
	OPT_FORCE,
	OPT_NO_BASE,
	OPT_FULL_DESCRIPTIONS,
};

static const char *program = "gen-services";

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: %s [OPTIONS] [REGISTRY]\n"
		"       %s --diff [-v] [--format json] OLD NEW\n"
		"       %s --update [-v] [--url URL] [--force] [--services FILE [--merge LOCAL]]\n"
		"Write a services(5) file (or Wireshark's services format, JSON, or the binary\n"
		"services index) from the IANA Service Name and Transport Protocol Port Number\n"
		"Registry; compare two registries; or fetch and install the current one.\n"
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
		"                          written, else print a diff and exit 1\n"
		"  -q, --quiet             do not print warnings about the registry\n"
		"      --diff              compare registry files OLD and NEW (any formats): count\n"
		"                          the assignments added, removed and changed; exit 0 when\n"
		"                          there are none, 1 when there are; --format json for\n"
		"                          one JSON document listing every change\n"
		"      --update            fetch the registry, verify it and install it with its\n"
		"                          index where the NSS module reads them (below), each\n"
		"                          file replaced atomically; print what changed\n"
		"      --url=URL           --update from URL (https://, http:// or file://)\n"
		"                          instead of IANA's\n"
		"      --force             --update unconditionally, even to an older registry\n"
		"      --services=FILE     --update also regenerates the services file FILE\n"
		"                          (with --merge, --protocols, --ranges, -D)\n"
		"  -v, --verbose           --diff, --update: also one line per change\n"
		"  -h, --help              show this help and exit\n"
		"  -V, --version           show the version and exit\n"
		"\n"
		"--update installs to $NSS_IANA_REGISTRY and $NSS_IANA_INDEX when set, else\n"
		"  %s\n"
		"  %s\n"
		"\n"
		"Exit status: 0 success (--update: installed or already current), 1 difference\n"
		"found by --check or --diff, 2 usage, input or output error, failed update.\n"
		"See gen-services(1).\n",
		program, program, program, DEFAULT_REGISTRY_PATH, DEFAULT_REGISTRY_PATH, DEFAULT_INDEX_PATH);
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s: ", program);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help' for more information.\n", program);
	return EXIT_TROUBLE;
}

static int parse_protocols(const char *list, unsigned *mask)
{
	*mask = 0;
	const char *p = list;
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		enum iana_protocol protocol = iana_protocol_from_name(p, len);
		if (protocol == IANA_PROTO_NONE)
			return -1;
		*mask |= 1u << protocol;
		if (comma == NULL)
			return 0;
		p = comma + 1;
	}
}

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

/* --update: no registry argument, no output but the installed files. */
static int check_update_arguments(int argc, char **argv, struct settings *s)
{
	if (argc > 0)
		return usage_error("--update installs where the NSS module reads; it takes no registry argument ('%s')",
				   argv[0]);
	if (s->output || s->check || s->format_given)
		return usage_error("%s", "--update takes none of --output, --check, --format (see --services)");
	if (s->services == NULL &&
	    (s->merge || s->selection.protocols != ALL_PROTOCOLS || s->selection.ranges != RANGES_DEFAULT ||
	     !s->selection.descriptions || s->selection.full_descriptions || s->no_base))
		return usage_error("%s", "--merge, --protocols, --ranges, --no-descriptions, --full-descriptions and --no-base apply to the --services file");
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
		{"url", required_argument, NULL, OPT_URL},
		{"services", required_argument, NULL, OPT_SERVICES},
		{"force", no_argument, NULL, OPT_FORCE},
		{"no-base", no_argument, NULL, OPT_NO_BASE},
		{"full-descriptions", no_argument, NULL, OPT_FULL_DESCRIPTIONS},
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
			if (parse_protocols(optarg, &s->selection.protocols) < 0)
				return usage_error("bad protocol list '%s' (comma-separated tcp, udp, sctp, dccp)",
						   optarg);
			break;
		case 'r':
			if (strcmp(optarg, "first") == 0)
				s->selection.ranges = RANGES_FIRST;
			else if (strcmp(optarg, "expand") == 0)
				s->selection.ranges = RANGES_EXPAND;
			else if (strcmp(optarg, "skip") == 0)
				s->selection.ranges = RANGES_SKIP;
			else
				return usage_error("unknown range mode '%s' (first, expand or skip)", optarg);
			break;
		case 'D':
			s->selection.descriptions = false;
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
			s->update = true;
			break;
		case OPT_URL:
			s->url = optarg;
			break;
		case OPT_SERVICES:
			s->services = optarg;
			break;
		case OPT_FORCE:
			s->force = true;
			break;
		case OPT_NO_BASE:
			s->no_base = true;
			break;
		case OPT_FULL_DESCRIPTIONS:
			s->selection.full_descriptions = true;
			break;
		case 'h':
			usage(stdout);
			return fflush(stdout) == 0 && !ferror(stdout) ? -1 : EXIT_TROUBLE;
		case 'V':
			printf("gen-services %s\n", GEN_SERVICES_VERSION);
			return fflush(stdout) == 0 && !ferror(stdout) ? -1 : EXIT_TROUBLE;
		case ':':
			return usage_error("option '%s' needs an argument", argv[optind - 1]);
		default:
			return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (s->diff && s->update)
		return usage_error("%s", "--diff and --update exclude each other");
	if (s->update)
		return check_update_arguments(argc - optind, argv + optind, s);
	if (s->url || s->services || s->force)
		return usage_error("%s", "--url, --services and --force apply to --update");
	if (s->diff)
		return check_diff_arguments(argc - optind, argv + optind, s);
	if (s->verbose)
		return usage_error("%s", "--verbose applies to --diff and --update");
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

/* True when PATH names a file that a services output can be kept beside
 * (not standard output or a descriptor). */
static bool is_file_target(const char *path)
{
	return path != NULL && strcmp(path, "-") != 0 && strncmp(path, "/dev/", 5) != 0 &&
	       strncmp(path, "/proc/", 6) != 0;
}

/* The services(5) file FILE being written or checked: its base is merged
 * (unless --no-base), and FILE.local, when no --merge is given and it
 * exists, is the local file.  A missing --merge file named on the command
 * line is an error; a missing FILE.local is no local file. */
static void services_target(struct settings *s, const char *file, bool check_only)
{
	if (!is_file_target(file))
		return;
	if (!s->no_base) {
		s->selection.target = file;
		s->selection.check_only = check_only;
	}
	if (s->merge != NULL)
		return;
	static char path[4096];
	struct stat st;
	if ((size_t)snprintf(path, sizeof(path), "%s.local", file) < sizeof(path) &&
	    (stat(path, &st) == 0 || errno != ENOENT))
		s->merge = path; /* there, or unreadable: load_local() says why */
}

static int load_local(const char *path, struct local_services **local)
{
	size_t len;
	char *data = read_whole_file(path, &len);
	if (data == NULL) {
		fprintf(stderr, "%s: cannot read %s: %s\n", program, path, strerror(errno));
		return -1;
	}
	char error[512];
	*local = local_services_parse(path, data, len, error, sizeof(error));
	free(data);
	if (*local == NULL) {
		fprintf(stderr, "%s: %s\n", program, error);
		return -1;
	}
	return 0;
}

/* Set by SIGINT, SIGTERM or SIGHUP during --update: the update stops and
 * cleans up, then the signal is raised again. */
static volatile sig_atomic_t update_interrupted;

static void on_update_signal(int sig)
{
	update_interrupted = sig;
}

static void catch_update_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_update_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

/* Where the NSS module reads: $NAME when set and not empty (as
 * nss/nss_iana.c reads it), else FALLBACK. */
static const char *nss_path(const char *name, const char *fallback)
{
	const char *value = secure_getenv(name);
	return value != NULL && *value != '\0' ? value : fallback;
}

static int run_update(struct settings *s)
{
	if (s->services != NULL)
		services_target(s, s->services, false);
	struct local_services *local = NULL;
	if (s->merge != NULL && load_local(s->merge, &local) < 0)
		return EXIT_TROUBLE;
	s->selection.local = local;
	char error[2048];
	if (registry_fetch_global_init(error, sizeof(error)) < 0) {
		fprintf(stderr, "%s: %s; nothing changed\n", program, error);
		local_services_free(local);
		return EXIT_TROUBLE;
	}
	struct update_options options = {
		.url = s->url,
		.registry_path = nss_path("NSS_IANA_REGISTRY", DEFAULT_REGISTRY_PATH),
		.index_path = nss_path("NSS_IANA_INDEX", DEFAULT_INDEX_PATH),
		.services_path = s->services,
		.merge_path = s->merge,
		.selection = &s->selection,
		.force = s->force,
		.verbose = s->verbose,
		.report = stdout,
		.messages = stderr,
		.interrupted = &update_interrupted,
	};
	catch_update_signals();
	int result = registry_update(&options, error, sizeof(error));
	registry_fetch_global_cleanup();
	local_services_free(local);
	if (fflush(stdout) != 0 && result != UPDATE_FAILED)
		fprintf(stderr, "%s: cannot write the report: %s\n", program, strerror(errno));
	if (result == UPDATE_FAILED)
		fprintf(stderr, "%s: %s\n", program, error);
	if (result == UPDATE_FAILED && update_interrupted) {
		/* Stopped by the signal: die of it, as the sender expects. */
		int sig = update_interrupted;
		signal(sig, SIG_DFL);
		raise(sig);
	}
	return result == UPDATE_FAILED ? EXIT_TROUBLE : EXIT_OK;
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
	if (s.update)
		return run_update(&s);
	bool from_stdin = strcmp(s.registry, "-") == 0;
	struct iana_load_options load_options = {
		.display_name = from_stdin ? "<stdin>" : s.registry,
		.on_diagnostic = print_diagnostic,
		.userdata = &printer,
	};
	s.selection.source = from_stdin ? NULL : s.registry;
	if (s.format == FORMAT_SERVICES)
		services_target(&s, s.check ? s.check : s.output, s.check != NULL);

	struct local_services *local = NULL;
	if (s.merge != NULL && load_local(s.merge, &local) < 0)
		return EXIT_TROUBLE;
	s.selection.local = local;

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
		rc = check_against(s.check, text, len, s.format == FORMAT_INDEX);
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
