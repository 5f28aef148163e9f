/* json_writer.h - `gen-services --format json`: the whole registry as JSON
 * Lines, one object per record, in registry order, every record included
 * (Reserved, Unassigned and port-less rows too).
 *
 * Each line is one compact object with these keys, in this order, always
 * present (null when the model has no value):
 *   "line"          source line of the record (number)
 *   "name"          service name
 *   "port"          first port (number); null when the record has no port
 *   "port_last"     last port (number, equal to "port" for a single port)
 *   "protocol"      "tcp", "udp", "sctp", "dccp"
 *   "status"        iana_status_name(): "assigned", "reserved", ...
 *   "description"
 *   "assignees", "contacts"
 *                   arrays (possibly empty) of {"id", "name", "org", "uri",
 *                   "updated"}: the person reference's id and the fields of
 *                   the person it resolves to, nulls when it does not resolve
 *   "registered", "modified"
 *                   dates as the registry gives them ("2006-11", "2021-10-01")
 *   "references"    array of {"type": iana_ref_kind_name(), "data", "text",
 *                   "section"}
 *   "service_code"  DCCP service code (number)
 *   "unauthorized", "notes"
 *
 * Strings are escaped per RFC 8259 (\" \\ \b \f \n \r \t, other control
 * characters as \u00XX).  Bytes >= 0x80 that form valid UTF-8 pass through
 * unchanged; each maximal ill-formed subsequence (Unicode's "U+FFFD
 * substitution of maximal subparts", as Python and WHATWG decoders do)
 * becomes U+FFFD, so the output is always valid JSON in valid UTF-8.
 */
#ifndef JSON_WRITER_H
#define JSON_WRITER_H

#include <stdio.h>

#include "iana_registry.h"

/* Write every record of REGISTRY to OUT, one JSON object per line.  Returns
 * 0, or -1 if a write failed (ferror(OUT) is then set, errno tells why).
 * OUT is not flushed: the caller still checks fflush()/fclose(). */
int json_write_registry(FILE *out, const struct iana_registry *registry);

/* S as one JSON string value, escaped and UTF-8-repaired as above, or null
 * when S is NULL (for other JSON output of gen-services, such as --diff).
 * Returns 0, or -1 if the write failed.  OUT is not flushed. */
int json_write_string(FILE *out, const char *s);

#endif /* JSON_WRITER_H */
