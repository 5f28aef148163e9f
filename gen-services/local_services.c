/* local_services.c - parses a services(5) file kept in gen-services'
 * output (the --merge file, the distribution's base) and answers which
 * registry names and ports it overrides (see local_services.h). */
#include "local_services.h"
#include "output_file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct local_name {
	char *name;
	uint8_t protocol;
};

struct local_services {
	char *block;     /* the lines to keep, verbatim */
	size_t block_len;
	struct local_name *names;
	size_t n_names;
	uint8_t *ports[IANA_PROTO_COUNT]; /* bitmaps of 65536 bits, NULL if unused */
};

void local_services_free(struct local_services *local)
{
	if (local == NULL)
		return;
	for (size_t i = 0; i < local->n_names; i++)
		free(local->names[i].name);
	free(local->names);
	for (int p = 0; p < IANA_PROTO_COUNT; p++)
		free(local->ports[p]);
	free(local->block);
	free(local);
}

static const char *find_line(const char *data, const char *end, const char *line)
{
	size_t n = strlen(line);
	for (const char *p = data; p && p + n <= end; p = memchr(p, '\n', (size_t)(end - p)), p = p ? p + 1 : p)
		if (memcmp(p, line, n) == 0 && (p + n == end || p[n] == '\n' || p[n] == '\r'))
			return p;
	return NULL;
}

static int add_name(struct local_services *local, const char *name, size_t len, enum iana_protocol protocol)
{
	struct local_name *names = realloc(local->names, (local->n_names + 1) * sizeof(*names));
	if (names == NULL)
		return -1;
	local->names = names;
	char *copy = strndup(name, len);
	if (copy == NULL)
		return -1;
	names[local->n_names].name = copy;
	names[local->n_names].protocol = (uint8_t)protocol;
	local->n_names++;
	return 0;
}

static int add_port(struct local_services *local, enum iana_protocol protocol, uint16_t port)
{
	if (local->ports[protocol] == NULL && (local->ports[protocol] = calloc(8192, 1)) == NULL)
		return -1;
	local->ports[protocol][port >> 3] |= (uint8_t)(1u << (port & 7));
	return 0;
}

/* Parse one entry line "name port/proto [aliases...] [# comment]".  0
 * (also for a line without an entry), -1 with a message in ERROR, or -2
 * on a malformed line (message in ERROR too). */
static int parse_line(struct local_services *local, const char *line, size_t len, const char *path,
		      unsigned lineno, char *error, size_t size)
{
	const char *hash = memchr(line, '#', len);
	if (hash)
		len = (size_t)(hash - line);
	const char *tok[64];
	size_t tok_len[64], n = 0;
	for (size_t i = 0; i < len;) {
		while (i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'))
			i++;
		if (i == len)
			break;
		size_t start = i;
		while (i < len && line[i] != ' ' && line[i] != '\t' && line[i] != '\r')
			i++;
		if (n == 64) {
			snprintf(error, size, "%s:%u: too many aliases", path, lineno);
			return -2;
		}
		tok[n] = line + start;
		tok_len[n++] = i - start;
	}
	if (n == 0)
		return 0;
	const char *slash = n >= 2 ? memchr(tok[1], '/', tok_len[1]) : NULL;
	if (slash == NULL) {
		snprintf(error, size, "%s:%u: expected \"name port/protocol [aliases]\"", path, lineno);
		return -2;
	}
	size_t port_len = (size_t)(slash - tok[1]);
	unsigned long port = 0;
	for (size_t i = 0; i < port_len; i++) {
		if (tok[1][i] < '0' || tok[1][i] > '9' || port > 65535) {
			port = 65536;
			break;
		}
		port = port * 10 + (unsigned long)(tok[1][i] - '0');
	}
	if (port_len == 0 || port > 65535) {
		snprintf(error, size, "%s:%u: \"%.*s\" is not a port number (0-65535)", path, lineno,
			 (int)port_len, tok[1]);
		return -2;
	}
	enum iana_protocol protocol =
		iana_protocol_from_name(slash + 1, tok_len[1] - port_len - 1);
	/* Other protocols (ddp, ...) are kept verbatim but override nothing. */
	if (protocol == IANA_PROTO_NONE)
		return 0;
	if (add_port(local, protocol, (uint16_t)port) < 0)
		goto nomem;
	for (size_t t = 0; t < n; t++)
		if (t != 1 && add_name(local, tok[t], tok_len[t], protocol) < 0)
			goto nomem;
	return 0;
nomem:
	snprintf(error, size, "%s: out of memory", path);
	return -1;
}

static int compare_names(const void *a, const void *b)
{
	const struct local_name *x = a, *y = b;
	if (x->protocol != y->protocol)
		return x->protocol < y->protocol ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* LENIENT: a malformed line (or one holding a NUL byte) defines nothing
 * and is kept, as glibc skips it, instead of failing the parse. */
static struct local_services *parse(const char *path, const char *data, size_t len, bool lenient,
				    char *error, size_t size)
{
	struct local_services *local = calloc(1, sizeof(*local));
	if (local == NULL) {
		snprintf(error, size, "%s: out of memory", path);
		return NULL;
	}
	const char *end = data + len;
	unsigned first_line = 1;
	/* A file gen-services wrote: keep only its local block. */
	const char *begin = find_line(data, end, LOCAL_BLOCK_BEGIN);
	if (begin != NULL) {
		for (const char *p = data; p < begin; p++)
			first_line += *p == '\n';
		const char *after = memchr(begin, '\n', (size_t)(end - begin));
		const char *stop = after ? find_line(after + 1, end, LOCAL_BLOCK_END) : NULL;
		if (stop == NULL) {
			snprintf(error, size, "%s:%u: \"%s\" without \"%s\"", path, first_line,
				 LOCAL_BLOCK_BEGIN, LOCAL_BLOCK_END);
			local_services_free(local);
			return NULL;
		}
		data = after + 1;
		end = stop;
		first_line++;
	} else if (len >= strlen(GENERATED_MARK) && memcmp(data, GENERATED_MARK, strlen(GENERATED_MARK)) == 0) {
		data = end; /* our own output without local entries: nothing local */
	}
	local->block_len = (size_t)(end - data);
	local->block = malloc(local->block_len + 2);
	if (local->block == NULL) {
		snprintf(error, size, "%s: out of memory", path);
		local_services_free(local);
		return NULL;
	}
	memcpy(local->block, data, local->block_len);
	if (local->block_len > 0 && local->block[local->block_len - 1] != '\n')
		local->block[local->block_len++] = '\n';
	unsigned lineno = first_line;
	for (const char *p = data; p < end; lineno++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t line_len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (memchr(p, '\0', line_len) != NULL) {
			if (!lenient) {
				snprintf(error, size, "%s:%u: NUL byte in a services file", path, lineno);
				local_services_free(local);
				return NULL;
			}
		} else {
			int rc = parse_line(local, p, line_len, path, lineno, error, size);
			if (rc == -1 || (rc == -2 && !lenient)) {
				local_services_free(local);
				return NULL;
			}
		}
		p += line_len + 1;
	}
	/* Sorted, so that a name is found in O(log n) (the registry asks for
	 * every one of its names). */
	if (local->n_names > 1)
		qsort(local->names, local->n_names, sizeof(*local->names), compare_names);
	return local;
}

struct local_services *local_services_parse(const char *path, const char *data, size_t len, char *error,
					    size_t size)
{
	return parse(path, data, len, false, error, size);
}

struct local_services *local_services_parse_lenient(const char *path, const char *data, size_t len,
						    char *error, size_t size)
{
	return parse(path, data, len, true, error, size);
}

size_t local_services_n_names(const struct local_services *local)
{
	return local != NULL ? local->n_names : 0;
}

int local_services_write_block(FILE *out, const struct local_services *local)
{
	return local_services_write_between(out, local, LOCAL_BLOCK_BEGIN, LOCAL_BLOCK_END);
}

int local_services_write_between(FILE *out, const struct local_services *local, const char *begin,
				 const char *end)
{
	fprintf(out, "%s\n", begin);
	fwrite(local->block, 1, local->block_len, out);
	fprintf(out, "%s\n", end);
	return ferror(out) ? -1 : 0;
}

bool local_services_has_port(const struct local_services *local, enum iana_protocol protocol, uint16_t port)
{
	const uint8_t *bits = local ? local->ports[protocol] : NULL;
	return bits != NULL && (bits[port >> 3] & (1u << (port & 7))) != 0;
}

static bool defines_name(const struct local_services *local, const char *name, uint8_t protocol)
{
	if (local == NULL || local->n_names == 0)
		return false;
	struct local_name key = {.name = (char *)(uintptr_t)name, .protocol = protocol};
	return bsearch(&key, local->names, local->n_names, sizeof(*local->names), compare_names) != NULL;
}

size_t local_services_surviving_names(const struct local_services *local, const struct iana_service *entry,
				      const char **names)
{
	size_t n = 0;
	if (!defines_name(local, entry->record->name, entry->protocol))
		names[n++] = entry->record->name;
	for (size_t a = 0; a < entry->n_aliases; a++)
		if (!defines_name(local, entry->aliases[a], entry->protocol))
			names[n++] = entry->aliases[a];
	return n;
}

struct local_services *local_services_load(const char *path, char *error, size_t error_size)
{
	size_t len;
	char *data = read_whole_file(path, &len);
	if (data == NULL) {
		snprintf(error, error_size, "cannot read %s: %s", path, strerror(errno));
		return NULL;
	}
	struct local_services *local = local_services_parse(path, data, len, error, error_size);
	free(data);
	return local;
}
