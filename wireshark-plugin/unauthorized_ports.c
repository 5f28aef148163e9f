/* unauthorized_ports.c - the ports named by an unauthorized-use text (see
 * unauthorized_ports.h). */
#include "unauthorized_ports.h"

#include <stdbool.h>
#include <strings.h>

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static const char *skip_blanks(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

/* A port number at *P (advanced past it); false when there is none or it
 * is above 65535. */
static bool number(const char **p, uint16_t *out)
{
	const char *s = *p;
	if (!is_digit(*s))
		return false;
	unsigned long v = 0;
	while (is_digit(*s)) {
		v = v * 10 + (unsigned long)(*s - '0');
		if (v > 65535)
			return false;
		s++;
	}
	if (is_letter(*s))
		return false; /* "6003x": not a number */
	*p = s;
	*out = (uint16_t)v;
	return true;
}

/* After "port"/"ports" at P: the list, stored from SPANS[*N]. */
static const char *list(const char *p, struct port_span *spans, size_t max, size_t *n)
{
	p = skip_blanks(p);
	if (*p == ':')
		p = skip_blanks(p + 1);
	for (;;) {
		uint16_t first, last;
		if (!number(&p, &first))
			return p;
		last = first;
		if (*p == '-' && is_digit(p[1])) {
			const char *q = p + 1;
			if (!number(&q, &last))
				return q;
			p = q;
		}
		if (first <= last) {
			if (*n < max)
				spans[*n] = (struct port_span){first, last};
			(*n)++;
		}
		/* a separator, then the next item */
		const char *q = skip_blanks(p);
		if (*q == ',' || *q == '&')
			q = skip_blanks(q + 1);
		if (strncasecmp(q, "and", 3) == 0 && !is_letter(q[3]))
			q = skip_blanks(q + 3);
		if (q == p || !is_digit(*q))
			return q;
		p = q;
	}
}

size_t unauthorized_ports(const char *text, struct port_span *spans, size_t max)
{
	size_t n = 0;
	if (text == NULL)
		return 0;
	for (const char *p = text; *p;) {
		bool word_start = p == text || !is_letter(p[-1]);
		if (word_start && strncasecmp(p, "port", 4) == 0) {
			const char *after = p + 4;
			if (*after == 's' || *after == 'S')
				after++;
			if (!is_letter(*after)) {
				p = list(after, spans, max, &n);
				continue;
			}
		}
		p++;
	}
	return n;
}
