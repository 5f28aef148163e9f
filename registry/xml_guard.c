/* xml_guard.c - the markup limits applied to XML input before libxml2 reads
 * it (see xml_guard.h).
 *
 * A small state machine over XML's lexical structure.  It only has to agree
 * with a conforming parser on where tags and declarations start and end:
 * anything it misreads is not well-formed XML, which libxml2 refuses anyway
 * (at worst the guard then refuses it first, with its own message).
 *
 * Cost: text, tags and quoted values, nearly all of a registry, are
 * skipped to the next byte that matters, 16 bytes at a time with SSE2
 * (a byte at a time elsewhere); lengths are differences of offsets, checked when a tag or
 * declaration ends and at the end of each block (a block libxml2 reads is
 * 4,000 bytes, the first up to 64 KiB), so libxml2 never holds more than a
 * block of an over-long tag. */
#include "xml_guard.h"

#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

enum {
	G_TEXT = 0,   /* character data, or a DOCTYPE's internal subset */
	G_TAG,        /* a start or end tag */
	G_TAG_QUOTE,  /* a quoted attribute value */
	G_LT,         /* after '<' */
	G_BANG,       /* after "<!": a comment, CDATA or a declaration? */
	G_COMMENT,    /* up to "-->" */
	G_CDATA,      /* up to "]]>" */
	G_PI,         /* up to "?>" */
	G_DECL,       /* <!DOCTYPE, <!ENTITY, ...: up to '>' */
	G_DECL_QUOTE, /* a quoted literal in a declaration */
};

static const char too_long_tag[] =
	"a tag longer than 8192 bytes (a registry's are short; libxml2 takes time quadratic in the "
	"number of attributes)";
static const char too_long_decl[] = "a declaration longer than 65536 bytes (a registry has none this long)";
static const char too_many_open[] =
	"the start tags of the elements open here add up to more than 8192 bytes (a registry's do not; "
	"libxml2 looks namespaces up through all of them)";

/* The offset of the first byte at or after I in S[0..LEN) that is A, B, C
 * or D (LEN when none), 16 bytes at a time where SSE2 allows: nearly all of
 * a registry is skipped this way. */
static inline size_t skip_to(const unsigned char *s, size_t i, size_t len, unsigned char a, unsigned char b,
			     unsigned char c, unsigned char d)
{
#ifdef __SSE2__
	const __m128i va = _mm_set1_epi8((char)a), vb = _mm_set1_epi8((char)b);
	const __m128i vc = _mm_set1_epi8((char)c), vd = _mm_set1_epi8((char)d);
	for (; i + 16 <= len; i += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		__m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, va), _mm_cmpeq_epi8(x, vb)),
					   _mm_or_si128(_mm_cmpeq_epi8(x, vc), _mm_cmpeq_epi8(x, vd)));
		unsigned mask = (unsigned)_mm_movemask_epi8(hit);
		if (mask != 0)
			return i + (size_t)__builtin_ctz(mask);
	}
#endif
	while (i < len && s[i] != a && s[i] != b && s[i] != c && s[i] != d)
		i++;
	return i;
}

void reg_xml_guard_init(struct xml_guard *g)
{
	memset(g, 0, sizeof(*g));
	g->line = 1;
}

static int refuse(struct xml_guard *g, const char *why)
{
	g->error = why;
	return -1;
}

/* Is the tag or declaration being read, up to offset END, too long? */
static int check_length(struct xml_guard *g, uint64_t end)
{
	bool decl = g->state == G_DECL || g->state == G_DECL_QUOTE;
	bool tag = g->state == G_TAG || g->state == G_TAG_QUOTE || g->state == G_LT;
	if (decl && end - g->start > XML_GUARD_MAX_DECL)
		return refuse(g, too_long_decl);
	if (tag && end - g->start > XML_GUARD_MAX_TAG)
		return refuse(g, too_long_tag);
	return 0;
}

/* A start or end tag ends at offset END (just past its '>'); BEFORE is the
 * byte before the '>'. */
static inline int close_tag(struct xml_guard *g, uint64_t end, char before)
{
	if (end - g->start > XML_GUARD_MAX_TAG)
		return refuse(g, too_long_tag);
	g->state = G_TEXT;
	if (g->end_tag) {
		if (g->depth > 0) {
			if (g->depth <= XML_GUARD_DEPTH)
				g->open_bytes -= g->open_length[g->depth - 1];
			g->depth--;
		}
		return 0;
	}
	if (before == '/')
		return 0; /* an empty element: nothing stays open */
	g->depth++;
	if (g->depth <= XML_GUARD_DEPTH) {
		uint32_t length = (uint32_t)(end - g->start);
		g->open_length[g->depth - 1] = length;
		g->open_bytes += length;
		if (g->open_bytes > XML_GUARD_MAX_OPEN_TAGS)
			return refuse(g, too_many_open);
	}
	return 0;
}

/* A byte of a declaration, outside quotes. */
static void decl_byte(struct xml_guard *g, char c)
{
	if (c == '"' || c == '\'') {
		g->quote = c;
		g->state = G_DECL_QUOTE;
	} else if (c == '[') {
		g->in_subset = true; /* a DOCTYPE's internal subset */
		g->state = G_TEXT;
	} else if (c == '>') {
		g->state = G_TEXT;
	}
}

/* One byte C at offset AT in the states read byte by byte (all but text,
 * tags and their quoted values, which the scan loop handles). */
static int step(struct xml_guard *g, char c, uint64_t at, char before)
{
	switch (g->state) {
	case G_LT:
		if (c == '!') {
			g->state = G_BANG;
			g->match = 0;
		} else if (c == '?') {
			g->state = G_PI;
			g->match = 0;
		} else {
			g->state = G_TAG;
			g->end_tag = c == '/';
			if (c == '"' || c == '\'') {
				g->quote = c;
				g->state = G_TAG_QUOTE;
			} else if (c == '>') {
				return close_tag(g, at + 1, before);
			}
		}
		return 0;
	case G_BANG: {
		/* "<!--" a comment, "<![CDATA[" a CDATA section, else a
		 * declaration; g->quote remembers which is being matched */
		if (g->match == 0)
			g->quote = c;
		const char *want = g->quote == '-' ? "--" : "[CDATA[";
		if ((g->quote != '-' && g->quote != '[') || c != want[g->match]) {
			g->state = G_DECL;
			decl_byte(g, c);
			return 0;
		}
		if (want[++g->match] == '\0') {
			g->state = g->quote == '-' ? G_COMMENT : G_CDATA;
			g->match = 0;
		}
		return 0;
	}
	case G_COMMENT:
	case G_CDATA: {
		char dash = g->state == G_COMMENT ? '-' : ']';
		if (c == dash)
			g->match = g->match < 2 ? (uint8_t)(g->match + 1) : 2;
		else if (c == '>' && g->match == 2)
			g->state = G_TEXT;
		else
			g->match = 0;
		return 0;
	}
	case G_PI:
		if (c == '>' && g->match)
			g->state = G_TEXT;
		else
			g->match = c == '?';
		return 0;
	case G_DECL:
		if (c == '>' && check_length(g, at + 1) < 0)
			return -1;
		decl_byte(g, c);
		return 0;
	case G_DECL_QUOTE:
		if (c == g->quote)
			g->state = G_DECL;
		return 0;
	}
	return 0;
}

int reg_xml_guard_scan(struct xml_guard *g, const char *data, size_t len)
{
	if (g->error != NULL)
		return -1;
	const unsigned char *s = (const unsigned char *)data;
	const uint64_t base = g->offset;
	size_t i = 0;
	while (i < len) {
		unsigned char c;
		switch (g->state) {
		case G_TEXT:
			i = skip_to(s, i, len, '<', '\n', ']', ']');
			if (i == len)
				continue;
			c = s[i++];
			if (c == '\n') {
				g->line++;
				g->line_start = base + i;
			} else if (c == '<') {
				g->start = base + i - 1;
				g->start_line = g->line;
				g->start_column = g->start - g->line_start + 1;
				/* most often a tag follows: take it at once */
				if (i < len && s[i] != '!' && s[i] != '?') {
					g->end_tag = s[i] == '/';
					i += g->end_tag;
					g->state = G_TAG;
				} else {
					g->state = G_LT;
				}
			} else if (g->in_subset) { /* ']' */
				/* the DOCTYPE goes on to its '>', measured from here */
				g->in_subset = false;
				g->state = G_DECL;
				g->start = base + i - 1;
				g->start_line = g->line;
				g->start_column = g->start - g->line_start + 1;
			}
			continue;
		case G_TAG:
			i = skip_to(s, i, len, '>', '\n', '"', '\'');
			if (i == len)
				continue;
			c = s[i++];
			if (c == '>') {
				if (close_tag(g, base + i, i > 1 ? (char)s[i - 2] : g->last) < 0)
					return -1;
			} else if (c == '\n') {
				g->line++;
				g->line_start = base + i;
			} else {
				g->quote = (char)c;
				g->state = G_TAG_QUOTE;
			}
			continue;
		case G_TAG_QUOTE: {
			const unsigned char q = (unsigned char)g->quote;
			i = skip_to(s, i, len, q, '\n', q, q);
			if (i == len)
				continue;
			c = s[i++];
			if (c == '\n') {
				g->line++;
				g->line_start = base + i;
			} else {
				g->state = G_TAG;
			}
			continue;
		}
		default:
			c = s[i++];
			if (c == '\n') {
				g->line++;
				g->line_start = base + i;
			}
			if (step(g, (char)c, base + i - 1, i > 1 ? (char)s[i - 2] : g->last) < 0)
				return -1;
		}
	}
	g->offset += len;
	if (len > 0)
		g->last = (char)s[len - 1];
	/* a tag or declaration still open must not pass its limit either */
	return check_length(g, g->offset);
}
