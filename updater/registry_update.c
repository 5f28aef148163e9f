/* registry_update.c - owns update-iana-services (see registry_update.h):
 * the lock, the conditional-request state, verifying a download, the order
 * in which the registry, its index and the services file are installed,
 * and the report of what changed.  The transfer itself is
 * registry_fetch.c's, the comparison registry_diff.c's, the atomic
 * replacement of each file output_file.c's. */
#include "registry_update.h"
#include "crc32.h"
#include "fd_read.h"
#include "generate.h"
#include "iana_registry.h"
#include "index_reader.h"
#include "leftovers.h"
#include "nscd_cache.h"
#include "output_file.h"
#include "registry_diff.h"
#include "registry_fetch.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define REGISTRY_TITLE "Service Name and Transport Protocol Port Number Registry"
/* Every process that resolves a service reads these: world-readable. */
#define DATA_MODE 0644
#define MESSAGE_SIZE 1024

struct run {
	const struct update_options *o;
	const char *url;
	char *error;
	size_t error_size;
	bool index_changed; /* a new index was renamed into place */
};

static int failf(struct run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int failf(struct run *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->error, r->error_size, fmt, ap);
	va_end(ap);
	return UPDATE_FAILED;
}

/* PATH with SUFFIX appended, malloc'ed (NULL when out of memory). */
static char *with_suffix(const char *path, const char *suffix)
{
	size_t n = strlen(path), m = strlen(suffix);
	char *s = malloc(n + m + 1);
	if (s != NULL) {
		memcpy(s, path, n);
		memcpy(s + n, suffix, m + 1);
	}
	return s;
}

static char *date_text(struct iana_date date, char buf[16])
{
	iana_date_format(date, buf, 16);
	if (buf[0] == '\0')
		strcpy(buf, "unknown");
	return buf;
}

static int compare_dates(struct iana_date a, struct iana_date b)
{
	uint32_t x = (uint32_t)a.year << 16 | (uint32_t)a.month << 8 | a.day;
	uint32_t y = (uint32_t)b.year << 16 | (uint32_t)b.month << 8 | b.day;
	return (x > y) - (x < y);
}

/* ---- the lock ---- */

/* Open and lock REGISTRY.lock; the descriptor, or -1 with the error set. */
static int take_lock(struct run *r)
{
	char *path = with_suffix(r->o->registry_path, ".lock");
	if (path == NULL)
		return failf(r, "out of memory; nothing changed");
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOCTTY, DATA_MODE);
	if (fd < 0) {
		failf(r, "cannot open the lock file %s: %s; nothing changed", path, strerror(errno));
		free(path);
		return -1;
	}
	/* An update refuses at once; --reindex (started by a path unit while
	 * an update may still hold the lock) waits for it. */
	while (flock(fd, r->o->reindex ? LOCK_EX : LOCK_EX | LOCK_NB) < 0) {
		if (errno == EINTR)
			continue;
		if (errno == EWOULDBLOCK)
			failf(r, "another update-iana-services is running (it holds %s); nothing changed", path);
		else
			failf(r, "cannot lock %s: %s; nothing changed", path, strerror(errno));
		close(fd);
		free(path);
		return -1;
	}
	free(path);
	return fd;
}

/* ---- the state of the last download ---- */

struct state {
	char *url, *etag, *last_modified;
	uint64_t size;
	uint32_t crc;
	struct iana_date updated;
	bool has_size, has_crc;
};

static void state_free(struct state *s)
{
	free(s->url);
	free(s->etag);
	free(s->last_modified);
	memset(s, 0, sizeof(*s));
}

/* Read PATH into S.  False (S empty) when it is missing or not understood:
 * the request is then unconditional, never wrong. */
static bool state_read(const char *path, struct state *s)
{
	memset(s, 0, sizeof(*s));
	size_t len;
	char *text = read_whole_file(path, &len);
	if (text == NULL)
		return false;
	bool ok = true;
	for (char *line = text, *next; ok && line < text + len; line = next) {
		char *nl = strchr(line, '\n');
		next = nl ? nl + 1 : text + len;
		if (nl)
			*nl = '\0';
		if (*line == '#' || *line == '\0')
			continue;
		char *value = strchr(line, ' ');
		if (value == NULL) {
			ok = false;
			break;
		}
		*value++ = '\0';
		for (const char *c = value; *c != '\0'; c++)
			if (*c < 0x20 || *c > 0x7e) /* values go back into headers */
				ok = false;
		char *end;
		if (!ok)
			break;
		if (strcmp(line, "url") == 0) {
			ok = (s->url = strdup(value)) != NULL;
		} else if (strcmp(line, "etag") == 0) {
			ok = (s->etag = strdup(value)) != NULL;
		} else if (strcmp(line, "last-modified") == 0) {
			ok = (s->last_modified = strdup(value)) != NULL;
		} else if (strcmp(line, "registry-size") == 0) {
			errno = 0;
			s->size = strtoull(value, &end, 10);
			ok = s->has_size = errno == 0 && end != value && *end == '\0';
		} else if (strcmp(line, "registry-crc32") == 0) {
			errno = 0;
			unsigned long crc = strtoul(value, &end, 16);
			ok = s->has_crc = errno == 0 && end != value && *end == '\0' && crc <= UINT32_MAX;
			s->crc = (uint32_t)crc;
		} else if (strcmp(line, "registry-updated") == 0) {
			ok = iana_date_parse(value, strlen(value), &s->updated);
		}
		/* other keys: from a later version, ignored */
	}
	free(text);
	if (!ok || s->url == NULL || !s->has_size || !s->has_crc) {
		state_free(s);
		return false;
	}
	return true;
}

static char *state_text(const char *url, const struct fetch_result *fetched, size_t size, uint32_t crc,
			struct iana_date updated)
{
	char *text = NULL, date[16];
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	if (out == NULL)
		return NULL;
	fputs("# update-iana-services: the last download of the registry, for a conditional\n"
	      "# request next time (used only while the registry below is installed).\n",
	      out);
	fprintf(out, "url %s\n", url);
	if (fetched->etag)
		fprintf(out, "etag %s\n", fetched->etag);
	if (fetched->last_modified)
		fprintf(out, "last-modified %s\n", fetched->last_modified);
	fprintf(out, "registry-size %zu\nregistry-crc32 %08" PRIx32 "\n", size, crc);
	iana_date_format(updated, date, sizeof(date));
	if (date[0])
		fprintf(out, "registry-updated %s\n", date);
	if (fclose(out) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

/* Replace the state file with TEXT, unless it already says that.  A
 * failure only costs the next run a full download: a warning. */
static void state_save(struct run *r, const char *text)
{
	char *path = with_suffix(r->o->registry_path, ".state");
	char message[MESSAGE_SIZE];
	if (path == NULL || text == NULL) {
		fprintf(r->o->messages, "update-iana-services: warning: out of memory saving the download state\n");
		free(path);
		return;
	}
	size_t len;
	char *old = read_whole_file(path, &len);
	bool same = old != NULL && len == strlen(text) && memcmp(old, text, len) == 0;
	free(old);
	struct pending_file p;
	if (!same && (pending_file_begin(&p, path, DATA_MODE, message, sizeof(message)) < 0 ||
		      pending_file_write(&p, text, strlen(text), message, sizeof(message)) < 0 ||
		      pending_file_commit(&p, message, sizeof(message)) < 0))
		fprintf(r->o->messages, "update-iana-services: warning: %s; the next update downloads the whole registry\n",
			message);
	if (!same)
		pending_file_discard(&p);
	free(path);
}

/* ---- loading, with the parser's first error kept for the one-line message ---- */

struct capture {
	FILE *warnings; /* NULL: dropped */
	unsigned errors;
	char first_error[512];
};

static void capture_diagnostic(const struct iana_diagnostic *d, void *userdata)
{
	struct capture *c = userdata;
	if (d->severity == IANA_SEVERITY_ERROR) {
		if (c->errors++ == 0) {
			if (d->line && d->column)
				snprintf(c->first_error, sizeof(c->first_error), "line %u, column %u: %s",
					 (unsigned)d->line, (unsigned)d->column, d->message);
			else if (d->line)
				snprintf(c->first_error, sizeof(c->first_error), "line %u: %s", (unsigned)d->line,
					 d->message);
			else
				snprintf(c->first_error, sizeof(c->first_error), "%s", d->message);
		}
		return;
	}
	if (c->warnings != NULL)
		fprintf(c->warnings, "%s:%u: warning: %s\n", d->file, (unsigned)d->line, d->message);
}

static struct iana_load_options capture_options(struct capture *c, const char *name, FILE *warnings)
{
	memset(c, 0, sizeof(*c));
	c->warnings = warnings;
	return (struct iana_load_options){
		.display_name = name,
		.on_diagnostic = capture_diagnostic,
		.userdata = c,
		.max_errors = 1,
	};
}

/* What a failed load says, in a few words. */
static const char *load_failure(int rc, const struct capture *c)
{
	return c->first_error[0] ? c->first_error : iana_load_result_str(rc);
}

/* ---- the installed files ---- */

struct installed {
	char *data; /* the installed registry's bytes, NULL when none */
	size_t len;
	uint32_t crc;
};

static int read_installed(struct run *r, struct installed *in)
{
	memset(in, 0, sizeof(*in));
	in->data = read_whole_file(r->o->registry_path, &in->len);
	if (in->data == NULL) {
		if (errno == ENOENT)
			return 0;
		return failf(r, "cannot read the installed registry %s: %s; nothing changed",
			     r->o->registry_path, strerror(errno));
	}
	in->crc = iana_crc32(0, in->data, in->len);
	return 0;
}

/* Why the index at PATH is not the one of the installed registry IN, or
 * NULL when it is: a fact recorded in the index, not a guess from times. */
static const char *index_staleness(const char *path, const struct installed *in)
{
	struct iana_index *index = NULL;
	int rc = iana_index_open(path, &index);
	if (rc != IANA_INDEX_OK)
		return rc == IANA_INDEX_ERR_IO && errno == ENOENT ? "it was missing" : "it was not a usable index";
	struct iana_index_source recorded, installed;
	bool known = iana_index_source(index, &recorded);
	bool old_format = iana_index_version(index) < IANA_INDEX_VERSION;
	iana_index_close(index);
	/* An older format still answers, but is rewritten in the current one
	 * (index_format.h, Versions). */
	if (old_format)
		return "it was written in an older index format";
	if (!known)
		return "it did not record its registry";
	if (!iana_index_source_of_bytes(in->data, in->len, &installed) ||
	    !iana_index_source_equal(&recorded, &installed))
		return "it was stale: built from another registry";
	return NULL;
}

/* True when the file at PATH holds exactly LEN bytes of DATA. */
static bool file_holds(const char *path, const char *data, size_t len)
{
	size_t old_len;
	char *old = read_whole_file(path, &old_len);
	bool same = old != NULL && old_len == len && memcmp(old, data, len) == 0;
	free(old);
	return same;
}

/* The new contents of the index and the services file, made from REGISTRY. */
struct derived {
	char *index;
	size_t index_len;
	char *services; /* NULL when not asked for */
	size_t services_len;
};

static void derived_free(struct derived *d)
{
	free(d->index);
	free(d->services);
	memset(d, 0, sizeof(*d));
}

/* SOURCE: the registry file REGISTRY was loaded from; WARNINGS: where the
 * services view's warnings go (NULL: dropped). */
static int make_derived(struct run *r, const struct iana_registry *registry,
			const struct iana_index_source *source, bool index, bool services, FILE *warnings,
			struct derived *d)
{
	memset(d, 0, sizeof(*d));
	struct capture c;
	struct iana_load_options options = capture_options(&c, r->o->registry_path, warnings);
	struct output_selection index_selection = {.index_source = source};
	if (index && generate_output(FORMAT_INDEX, registry, &index_selection, &options, &d->index,
				     &d->index_len) < 0)
		return failf(r, "cannot build the index: %s; nothing changed", strerror(errno));
	if (services) {
		/* The header names the installed registry, as a plain run on it would. */
		struct output_selection selection = *r->o->selection;
		selection.source = r->o->registry_path;
		if (generate_output(FORMAT_SERVICES, registry, &selection, &options, &d->services,
				    &d->services_len) < 0) {
			derived_free(d);
			return failf(r, "cannot generate the services file: %s; nothing changed",
				     strerror(errno));
		}
	}
	return 0;
}

/* Begin PATH's replacement with LEN bytes of DATA, written and synced. */
static int prepare(struct run *r, struct pending_file *p, const char *path, const char *data, size_t len)
{
	char message[MESSAGE_SIZE];
	if (pending_file_begin(p, path, DATA_MODE, message, sizeof(message)) < 0 ||
	    pending_file_write(p, data, len, message, sizeof(message)) < 0 ||
	    pending_file_sync(p, message, sizeof(message)) < 0) {
		pending_file_discard(p);
		return failf(r, "%s; nothing changed", message);
	}
	return 0;
}

/* The registry IN is installed and current: rebuild the index when it is
 * not that registry's, and the services file when it does not hold what
 * the registry gives; REGISTRY is IN loaded, or NULL (loaded here when
 * needed). */
static int refresh_derived(struct run *r, const struct iana_registry *registry, const struct installed *in)
{
	const struct update_options *o = r->o;
	if (in->data == NULL)
		return failf(r, "no registry is installed at %s", o->registry_path);
	const char *why = index_staleness(o->index_path, in);
	bool index = why != NULL;
	if (!index && o->verbose)
		fprintf(o->report, "current: %s (built from %s as installed)\n", o->index_path, o->registry_path);
	if (!index && o->services_path == NULL)
		return 0;

	struct iana_registry *loaded = NULL;
	if (registry == NULL) {
		struct capture c;
		struct iana_load_options options = capture_options(&c, o->registry_path, NULL);
		int rc = iana_registry_load_path(o->registry_path, &options, &loaded);
		if (rc != IANA_LOAD_OK)
			return failf(r, "the installed registry %s does not load (%s); its index and services file were not rebuilt",
				     o->registry_path, load_failure(rc, &c));
		registry = loaded;
	}
	struct iana_index_source source;
	iana_index_source_of_bytes(in->data, in->len, &source);
	struct derived d;
	/* The installed registry's warnings were shown when it was installed. */
	int result = make_derived(r, registry, &source, index, o->services_path != NULL, NULL, &d);
	bool services = result == 0 && d.services != NULL &&
			!file_holds(o->services_path, d.services, d.services_len);
	struct pending_file pi = PENDING_FILE_INIT, ps = PENDING_FILE_INIT;
	if (result == 0 && index)
		result = prepare(r, &pi, o->index_path, d.index, d.index_len);
	if (result == 0 && services)
		result = prepare(r, &ps, o->services_path, d.services, d.services_len);
	char message[MESSAGE_SIZE];
	if (result == 0 && index) {
		if (pending_file_commit(&pi, message, sizeof(message)) < 0) {
			result = failf(r, "%s; nothing changed", message);
		} else {
			r->index_changed = true;
			fprintf(o->report, "rebuilt: %s (%s)\n", o->index_path, why);
		}
	}
	if (result == 0 && services) {
		if (pending_file_commit(&ps, message, sizeof(message)) < 0)
			result = failf(r, "%s%s", message, index ? " (the index was rebuilt)" : "; nothing changed");
		else
			fprintf(o->report, "rebuilt: %s (it did not hold what its sources give)\n", o->services_path);
	}
	pending_file_discard(&pi);
	pending_file_discard(&ps);
	derived_free(&d);
	iana_registry_free(loaded);
	return result;
}

/* ---- verifying a download ---- */

static int verify(struct run *r, const struct iana_registry *registry)
{
	const char *title = iana_registry_title(registry);
	size_t n;
	iana_registry_records(registry, &n);
	if (iana_registry_format(registry) != IANA_FORMAT_XML)
		return failf(r, "the download from %s is the registry in %s, not IANA's XML; nothing changed",
			     r->url, iana_format_name(iana_registry_format(registry)));
	if (title == NULL || strcmp(title, REGISTRY_TITLE) != 0)
		return failf(r, "the download from %s is not the service names registry (its title is \"%s\"); nothing changed",
			     r->url, title ? title : "");
	if (iana_registry_updated(registry).year == 0)
		return failf(r, "the download from %s has no Last Updated date; nothing changed", r->url);
	if (n == 0)
		return failf(r, "the download from %s holds no records; nothing changed", r->url);
	return 0;
}

/* ---- installing ---- */

/* Install order: every new file is written in full and fsync'ed beside
 * its destination before anything is renamed; then the index is renamed
 * over the old one, then the registry, then the services file, and only
 * then the state of the download is saved.  Index first: the NSS module
 * reads only the index, so it goes from the old data to the new in one
 * rename; a reader of both (the Wireshark plugin) sees, between the two
 * renames, an index whose recorded registry is not the installed one and
 * reads the old registry meanwhile: old or new data, never a mix.  A
 * failure before the first rename changes nothing; a failure of a later
 * rename (short of I/O errors it does not happen: the files are already in
 * place beside their destinations) is reported with what was installed,
 * and the next run, whose state was not saved, installs again. */
static int install(struct run *r, struct pending_file *reg, const struct derived *d)
{
	const struct update_options *o = r->o;
	char message[MESSAGE_SIZE];
	struct pending_file idx = PENDING_FILE_INIT, svc = PENDING_FILE_INIT;
	int result = UPDATE_FAILED;

	if (pending_file_begin(&idx, o->index_path, DATA_MODE, message, sizeof(message)) < 0 ||
	    pending_file_write(&idx, d->index, d->index_len, message, sizeof(message)) < 0) {
		failf(r, "%s; nothing changed", message);
		goto out;
	}
	if (pending_file_sync(reg, message, sizeof(message)) < 0 ||
	    pending_file_sync(&idx, message, sizeof(message)) < 0) {
		failf(r, "%s; nothing changed", message);
		goto out;
	}
	if (d->services != NULL && prepare(r, &svc, o->services_path, d->services, d->services_len) < 0)
		goto out;
	if (o->interrupted != NULL && *o->interrupted) {
		failf(r, "interrupted; nothing changed");
		goto out;
	}

	if (pending_file_commit(&idx, message, sizeof(message)) < 0) {
		failf(r, "%s; nothing changed", message);
		goto out;
	}
	r->index_changed = true;
	if (pending_file_commit(reg, message, sizeof(message)) < 0) {
		failf(r, "%s; only the new index %s is installed (the NSS module answers from it)", message,
		      o->index_path);
		goto out;
	}
	if (d->services != NULL && pending_file_commit(&svc, message, sizeof(message)) < 0) {
		failf(r, "%s; the new registry and index are installed, the services file is not", message);
		goto out;
	}
	result = UPDATE_INSTALLED;
out:
	pending_file_discard(&idx);
	pending_file_discard(&svc);
	return result;
}

/* ---- one run ---- */

static void report_transfer(struct run *r, const struct fetch_result *f)
{
	if (f->http_status)
		fprintf(r->o->report, "fetched %s: HTTP %ld, %" PRIu64 " bytes of body; sent %" PRIu64
			" bytes, received %" PRIu64 " bytes in %.3f s\n",
			r->url, f->http_status, f->body_size, f->bytes_sent, f->bytes_received, f->seconds);
	else
		fprintf(r->o->report, "fetched %s: %" PRIu64 " bytes in %.3f s\n", r->url, f->body_size,
			f->seconds);
}

/* Write the report of an installed update: dates, files, the changes. */
static int report_installed(struct run *r, const struct iana_registry *old, const struct iana_registry *new,
			    const char *old_note)
{
	const struct update_options *o = r->o;
	char a[16], b[16];
	date_text(iana_registry_updated(new), b);
	if (old != NULL) {
		date_text(iana_registry_updated(old), a);
		fprintf(o->report, "updated: registry Last Updated %s -> %s%s, from %s\n", a, b,
			compare_dates(iana_registry_updated(new), iana_registry_updated(old)) < 0 ? " (older: --force)" : "",
			r->url);
	} else {
		fprintf(o->report, "updated: registry Last Updated %s, from %s (%s)\n", b, r->url, old_note);
	}
	fprintf(o->report, "installed: %s, %s%s%s\n", o->index_path, o->registry_path,
		o->services_path ? ", " : "", o->services_path ? o->services_path : "");
	struct registry_diff diff;
	if (registry_diff_compute(old, new, &diff) < 0) {
		fprintf(o->messages, "update-iana-services: warning: cannot compare the registries: out of memory\n");
		return 0;
	}
	fputs("assignments: ", o->report);
	int rc = registry_diff_write_text(o->report, &diff, o->verbose);
	registry_diff_free(&diff);
	return rc;
}

/* An HTML page (a portal's or proxy's error page served with 200). */
static bool looks_like_html(const char *data, size_t len)
{
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		data += 3;
		len -= 3;
	}
	while (len > 0 && (*data == ' ' || *data == '\t' || *data == '\r' || *data == '\n')) {
		data++;
		len--;
	}
	return (len >= 14 && strncasecmp(data, "<!doctype html", 14) == 0) ||
	       (len >= 5 && strncasecmp(data, "<html", 5) == 0);
}

/* The download in P (fetched as F) is complete: verify and install it. */
static int take_download(struct run *r, struct pending_file *p, const struct fetch_result *f,
			 const struct installed *in)
{
	const struct update_options *o = r->o;
	size_t len;
	char *data = NULL;
	if (lseek(p->fd, 0, SEEK_SET) != 0 || (data = iana_fd_read_all(p->fd, NULL, 0, &len)) == NULL ||
	    lseek(p->fd, 0, SEEK_SET) != 0) {
		free(data);
		return failf(r, "cannot read back the download %s: %s; nothing changed", p->tmp, strerror(errno));
	}
	uint32_t crc = iana_crc32(0, data, len);
	bool identical = in->data != NULL && in->len == len && memcmp(in->data, data, len) == 0;
	bool html = looks_like_html(data, len);
	free(data);
	if (html)
		return failf(r, "the download from %s is an HTML page, not the registry; nothing changed", r->url);

	struct capture c;
	struct iana_load_options options = capture_options(&c, r->url, o->verbose ? o->messages : NULL);
	struct iana_registry *new = NULL, *old = NULL;
	int rc = iana_registry_load_fd(p->fd, &options, &new);
	if (rc != IANA_LOAD_OK)
		return failf(r, "the download from %s is not a valid registry (%s%s); nothing changed", r->url,
			     rc == IANA_LOAD_PARSE_ERROR || rc == IANA_LOAD_BAD_FORMAT ? "" : "cannot load it: ",
			     load_failure(rc, &c));
	int result = verify(r, new);
	if (result != 0)
		goto out;

	char date[16];
	if (identical && !o->force) {
		pending_file_discard(p);
		fprintf(o->report, "already current: registry Last Updated %s (%s: identical to the installed one)\n",
			date_text(iana_registry_updated(new), date), r->url);
		char *state = state_text(r->url, f, len, crc, iana_registry_updated(new));
		state_save(r, state);
		free(state);
		result = refresh_derived(r, new, in);
		if (result == 0)
			result = UPDATE_CURRENT;
		goto out;
	}

	const char *old_note = "none was installed";
	if (in->data != NULL) {
		struct capture oc;
		struct iana_load_options old_options = capture_options(&oc, o->registry_path, NULL);
		rc = iana_registry_load_path(o->registry_path, &old_options, &old);
		if (rc != IANA_LOAD_OK) {
			old = NULL;
			old_note = "the installed one did not load";
			fprintf(o->messages, "update-iana-services: warning: the installed registry %s does not load (%s); replacing it\n",
				o->registry_path, load_failure(rc, &oc));
		}
	}
	if (old != NULL && !o->force &&
	    compare_dates(iana_registry_updated(new), iana_registry_updated(old)) < 0) {
		char a[16];
		result = failf(r, "the download from %s (Last Updated %s) is older than the installed registry (Last Updated %s); --force installs it anyway; nothing changed",
			       r->url, date_text(iana_registry_updated(new), date),
			       date_text(iana_registry_updated(old), a));
		goto out;
	}

	struct iana_index_source source = {(uint32_t)len, crc};
	struct derived d;
	result = make_derived(r, new, &source, true, o->services_path != NULL, o->verbose ? o->messages : NULL, &d);
	if (result == 0) {
		result = install(r, p, &d);
		derived_free(&d);
	}
	if (result == UPDATE_INSTALLED) {
		char *state = state_text(r->url, f, len, crc, iana_registry_updated(new));
		state_save(r, state);
		free(state);
		if (report_installed(r, old, new, old_note) < 0)
			fprintf(o->messages, "update-iana-services: warning: cannot write the report: %s\n", strerror(errno));
	}
out:
	iana_registry_free(new);
	iana_registry_free(old);
	return result;
}

static int update_locked(struct run *r)
{
	const struct update_options *o = r->o;
	struct installed in;
	if (read_installed(r, &in) < 0)
		return UPDATE_FAILED;

	/* Conditional only for the very registry the state was written for. */
	char *state_path = with_suffix(o->registry_path, ".state");
	struct state st;
	bool conditional = state_path != NULL && state_read(state_path, &st);
	free(state_path);
	if (conditional && (o->force || in.data == NULL || strcmp(st.url, r->url) != 0 ||
			    st.size != in.len || st.crc != in.crc || (st.etag == NULL && st.last_modified == NULL))) {
		state_free(&st);
		conditional = false;
	}

	char message[MESSAGE_SIZE];
	struct pending_file p;
	if (pending_file_begin(&p, o->registry_path, DATA_MODE, message, sizeof(message)) < 0) {
		if (conditional)
			state_free(&st);
		free(in.data);
		return failf(r, "%s; nothing changed", message);
	}
	struct fetch_request request = {
		.url = r->url,
		.etag = conditional ? st.etag : NULL,
		.last_modified = conditional ? st.last_modified : NULL,
		.fd = p.fd,
		.fd_name = p.tmp,
		.max_size = UPDATE_MAX_SIZE,
		.connect_timeout = UPDATE_CONNECT_TIMEOUT,
		.total_timeout = UPDATE_TOTAL_TIMEOUT,
		.cancel = o->interrupted,
	};
	struct fetch_result f;
	int fetched = registry_fetch(&request, &f);
	if (o->verbose && fetched != FETCH_ERROR)
		report_transfer(r, &f);

	int result;
	if (fetched == FETCH_ERROR) {
		result = failf(r, "%s; nothing changed", f.error);
	} else if (fetched == FETCH_NOT_MODIFIED) {
		pending_file_discard(&p);
		char date[16];
		fprintf(o->report, "already current: registry Last Updated %s (%s: HTTP 304 Not Modified)\n",
			date_text(st.updated, date), r->url);
		result = refresh_derived(r, NULL, &in);
		if (result == 0)
			result = UPDATE_CURRENT;
	} else {
		result = take_download(r, &p, &f, &in);
	}
	pending_file_discard(&p);
	fetch_result_free(&f);
	if (conditional)
		state_free(&st);
	free(in.data);
	return result;
}

/* Under the lock: --reindex. */
static int reindex_locked(struct run *r)
{
	struct installed in;
	if (read_installed(r, &in) < 0)
		return UPDATE_FAILED;
	int result = refresh_derived(r, NULL, &in);
	free(in.data);
	return result == 0 ? UPDATE_CURRENT : result;
}

int registry_update(const struct update_options *options, char *error, size_t error_size)
{
	struct run r = {
		.o = options,
		.url = options->url ? options->url : IANA_REGISTRY_URL,
		.error = error,
		.error_size = error_size,
	};
	error[0] = '\0';
	int lock = take_lock(&r);
	if (lock < 0)
		return UPDATE_FAILED;
	/* What a killed update left beside the files this one installs. */
	time_t locked_at = time(NULL);
	char *state = with_suffix(options->registry_path, ".state");
	const char *destinations[] = {options->registry_path, options->index_path, state, options->services_path};
	for (size_t i = 0; i < sizeof(destinations) / sizeof(destinations[0]); i++)
		if (destinations[i] != NULL)
			leftovers_remove(destinations[i], locked_at, options->verbose, options->report);
	free(state);
	int result = options->reindex ? reindex_locked(&r) : update_locked(&r);
	/* nscd would go on answering from the old index for hours. */
	if (r.index_changed)
		nscd_invalidate_services(options->verbose, options->report);
	close(lock); /* releases the lock */
	return result;
}
