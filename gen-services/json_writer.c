/* json_writer.c - owns the JSON Lines output of `gen-services --format json`
 * (see json_writer.h): the per-record object layout, RFC 8259 string
 * escaping with UTF-8 repair (also offered alone: json_write_string()), and
 * a small output buffer so that the loop over some 14,500 records stays
 * tight (no fprintf, one fwrite per 16 KiB).
 */
#include "json_writer.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define JSON_BUFFER_SIZE 16384

struct json_out {
	FILE *file;
	bool failed;
	size_t len;
	char buf[JSON_BUFFER_SIZE];
};

static void flush(struct json_out *w)
{
	if (w->len > 0 && !w->failed && fwrite(w->buf, 1, w->len, w->file) != w->len)
		w->failed = true;
	w->len = 0;
}

static void put_bytes(struct json_out *w, const void *data, size_t n)
{
	const char *p = data;
	while (n > 0) {
		if (w->len == sizeof(w->buf))
			flush(w);
		size_t room = sizeof(w->buf) - w->len;
		size_t k = n < room ? n : room;
		memcpy(w->buf + w->len, p, k);
		w->len += k;
		p += k;
		n -= k;
	}
}

#define PUT_LITERAL(w, s) put_bytes((w), (s), sizeof(s) - 1)

static void put_char(struct json_out *w, char c)
{
	if (w->len == sizeof(w->buf))
		flush(w);
	w->buf[w->len++] = c;
}

static void put_uint(struct json_out *w, uint32_t v)
{
	char digits[10];
	size_t n = 0;
	do {
		digits[sizeof(digits) - ++n] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	put_bytes(w, digits + sizeof(digits) - n, n);
}

/* True for a byte copied as it is: printable ASCII other than '"' and '\\'
 * (so not the terminating NUL). */
static inline bool plain_byte(unsigned char c)
{
	return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

static void put_escape(struct json_out *w, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";
	char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
	switch (c) {
	case '"':
	case '\\':
		e[1] = (char)c;
		break;
	case '\b':
		e[1] = 'b';
		break;
	case '\f':
		e[1] = 'f';
		break;
	case '\n':
		e[1] = 'n';
		break;
	case '\r':
		e[1] = 'r';
		break;
	case '\t':
		e[1] = 't';
		break;
	default:
		put_bytes(w, e, 6);
		return;
	}
	put_bytes(w, e, 2);
}

/* Length of the UTF-8 sequence at P (P[0] >= 0x80) if it is well formed
 * (*valid set), else of its maximal ill-formed subpart (at least 1).  Reads
 * no further than the first byte that does not fit, so never past a NUL. */
static size_t utf8_sequence(const unsigned char *p, bool *valid)
{
	unsigned char c = p[0], lo = 0x80, hi = 0xbf;
	size_t trail;
	*valid = false;
	if (c >= 0xc2 && c <= 0xdf) {
		trail = 1;
	} else if (c >= 0xe0 && c <= 0xef) {
		trail = 2;
		if (c == 0xe0)
			lo = 0xa0; /* no overlong forms */
		else if (c == 0xed)
			hi = 0x9f; /* no surrogates */
	} else if (c >= 0xf0 && c <= 0xf4) {
		trail = 3;
		if (c == 0xf0)
			lo = 0x90; /* no overlong forms */
		else if (c == 0xf4)
			hi = 0x8f; /* nothing above U+10FFFF */
	} else {
		return 1; /* a stray continuation byte, C0, C1, F5..FF */
	}
	if (p[1] < lo || p[1] > hi)
		return 1;
	for (size_t i = 2; i <= trail; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return i;
	*valid = true;
	return trail + 1;
}

/* S as a JSON string, or null. */
static void put_string(struct json_out *w, const char *s)
{
	if (s == NULL) {
		PUT_LITERAL(w, "null");
		return;
	}
	const unsigned char *p = (const unsigned char *)s;
	put_char(w, '"');
	for (;;) {
		const unsigned char *run = p;
		while (plain_byte(*p))
			p++;
		put_bytes(w, run, (size_t)(p - run));
		if (*p == '\0')
			break;
		if (*p < 0x80) {
			put_escape(w, *p++); /* '"', '\\' or a control character */
		} else {
			bool valid;
			size_t n = utf8_sequence(p, &valid);
			if (valid)
				put_bytes(w, p, n);
			else
				PUT_LITERAL(w, "\xef\xbf\xbd"); /* U+FFFD */
			p += n;
		}
	}
	put_char(w, '"');
}

static void put_date(struct json_out *w, struct iana_date date)
{
	if (date.year == 0) {
		PUT_LITERAL(w, "null");
		return;
	}
	char buf[16];
	iana_date_format(date, buf, sizeof(buf));
	put_char(w, '"');
	put_bytes(w, buf, strlen(buf));
	put_char(w, '"');
}

static void put_people(struct json_out *w, const struct iana_person_ref *refs, size_t n)
{
	put_char(w, '[');
	for (size_t i = 0; i < n; i++) {
		const struct iana_person *p = refs[i].person;
		if (i > 0)
			put_char(w, ',');
		PUT_LITERAL(w, "{\"id\":");
		put_string(w, refs[i].id);
		PUT_LITERAL(w, ",\"name\":");
		put_string(w, p ? p->name : NULL);
		PUT_LITERAL(w, ",\"org\":");
		put_string(w, p ? p->org : NULL);
		PUT_LITERAL(w, ",\"uri\":");
		put_string(w, p ? p->uri : NULL);
		PUT_LITERAL(w, ",\"updated\":");
		put_date(w, p ? p->updated : (struct iana_date){0});
		put_char(w, '}');
	}
	put_char(w, ']');
}

static void put_references(struct json_out *w, const struct iana_reference *refs, size_t n)
{
	put_char(w, '[');
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			put_char(w, ',');
		PUT_LITERAL(w, "{\"type\":");
		put_string(w, iana_ref_kind_name(refs[i].kind));
		PUT_LITERAL(w, ",\"data\":");
		put_string(w, refs[i].data);
		PUT_LITERAL(w, ",\"text\":");
		put_string(w, refs[i].text);
		PUT_LITERAL(w, ",\"section\":");
		put_string(w, refs[i].section);
		put_char(w, '}');
	}
	put_char(w, ']');
}

static void put_record(struct json_out *w, const struct iana_record *r)
{
	PUT_LITERAL(w, "{\"line\":");
	put_uint(w, r->line);
	PUT_LITERAL(w, ",\"name\":");
	put_string(w, r->name);
	if (r->has_port) {
		PUT_LITERAL(w, ",\"port\":");
		put_uint(w, r->port_first);
		PUT_LITERAL(w, ",\"port_last\":");
		put_uint(w, r->port_last);
	} else {
		PUT_LITERAL(w, ",\"port\":null,\"port_last\":null");
	}
	PUT_LITERAL(w, ",\"protocol\":");
	put_string(w, iana_protocol_name((enum iana_protocol)r->protocol));
	PUT_LITERAL(w, ",\"status\":");
	put_string(w, iana_status_name((enum iana_status)r->status));
	PUT_LITERAL(w, ",\"description\":");
	put_string(w, r->description);
	PUT_LITERAL(w, ",\"assignees\":");
	put_people(w, r->assignees, r->n_assignees);
	PUT_LITERAL(w, ",\"contacts\":");
	put_people(w, r->contacts, r->n_contacts);
	PUT_LITERAL(w, ",\"registered\":");
	put_date(w, r->registered);
	PUT_LITERAL(w, ",\"modified\":");
	put_date(w, r->modified);
	PUT_LITERAL(w, ",\"references\":");
	put_references(w, r->refs, r->n_refs);
	PUT_LITERAL(w, ",\"service_code\":");
	if (r->has_service_code)
		put_uint(w, r->service_code);
	else
		PUT_LITERAL(w, "null");
	PUT_LITERAL(w, ",\"unauthorized\":");
	put_string(w, r->unauthorized);
	PUT_LITERAL(w, ",\"notes\":");
	put_string(w, r->notes);
	PUT_LITERAL(w, "}\n");
}

int json_write_registry(FILE *out, const struct iana_registry *registry)
{
	struct json_out w;
	w.file = out;
	w.failed = false;
	w.len = 0;
	size_t n;
	const struct iana_record *records = iana_registry_records(registry, &n);
	for (size_t i = 0; i < n && !w.failed; i++)
		put_record(&w, &records[i]);
	flush(&w);
	return w.failed || ferror(out) ? -1 : 0;
}

int json_write_string(FILE *out, const char *s)
{
	struct json_out w;
	w.file = out;
	w.failed = false;
	w.len = 0;
	put_string(&w, s);
	flush(&w);
	return w.failed || ferror(out) ? -1 : 0;
}
