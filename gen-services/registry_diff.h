/* registry_diff.h - what changed between two loaded registries: the
 * assignments added, removed and changed, for `gen-services --diff OLD NEW`
 * and the report of update-iana-services.
 *
 * An assignment is one record of the registry.  What identifies it:
 *  - a record with a service name: the name (ASCII case-insensitive, as
 *    RFC 6335 compares service names) and the protocol;
 *  - a record without one (Reserved, Unassigned, De-registered rows): its
 *    port range and protocol.
 * A named record never pairs with an unnamed one, so assigning a port out
 * of an Unassigned range reads as what it is: the assignment added, the
 * old Unassigned range removed, the remaining range(s) added.
 *
 * The same name and protocol can be registered on several ports (msp:
 * 18/tcp and 2438/tcp; 60 such pairs in the 2026-08-17 registry), so named
 * records are paired in three passes, each over the records the earlier
 * ones left unpaired:
 *   1. same name, protocol and port range: the same assignment;
 *   2. same name and protocol: its port changed;
 *   3. same name and port range (or both without a port): its protocol
 *      changed.
 * Unnamed records pair on (port range, protocol).  Within a pass, records
 * with equal keys pair in registry order.  What stays unpaired in OLD was
 * removed, in NEW added.
 *
 * A pair is "changed" when any of these fields differ: the name (exactly,
 * so a change of case shows), the port range (or having none), the
 * protocol, the description (compared with runs of white space as one
 * space, ends trimmed, so that re-wrapping is no change) and the status.
 * People, references, dates, notes, unauthorized-use text and DCCP service
 * codes are not compared.
 *
 * Changes are listed by where they are: port (records without a port
 * last), then last port and protocol; at the same place removed before
 * changed before added, then by name (ignoring case).
 */
#ifndef REGISTRY_DIFF_H
#define REGISTRY_DIFF_H

#include "iana_registry.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum registry_change_kind {
	REGISTRY_REMOVED = 0,
	REGISTRY_CHANGED,
	REGISTRY_ADDED,
};

/* The fields of a changed assignment that differ (bits). */
#define REGISTRY_FIELD_NAME 0x01u
#define REGISTRY_FIELD_PORT 0x02u
#define REGISTRY_FIELD_PROTOCOL 0x04u
#define REGISTRY_FIELD_DESCRIPTION 0x08u
#define REGISTRY_FIELD_STATUS 0x10u

struct registry_change {
	enum registry_change_kind kind;
	const struct iana_record *old_record; /* NULL when added */
	const struct iana_record *new_record; /* NULL when removed */
	unsigned fields; /* CHANGED: the REGISTRY_FIELD_* bits that differ; else 0 */
};

struct registry_diff {
	struct registry_change *changes; /* in the order described above */
	size_t n_changes;
	size_t added, removed, changed;
};

/* Compare OLD with NEW (either may be NULL: a registry without records,
 * as before a first install).  Both must outlive DIFF.  0, or -1 with
 * errno ENOMEM and DIFF empty. */
int registry_diff_compute(const struct iana_registry *old_registry,
			  const struct iana_registry *new_registry, struct registry_diff *diff);
void registry_diff_free(struct registry_diff *diff);

/* The text report: "N added, N removed, N changed" (or "no changes"), and
 * with VERBOSE one line per change:
 *   + bencher 6610/tcp: Bencher
 *   - fox-skytale 4319/tcp: FoxSkytale
 *   ~ epp 700/tcp: description "Extensible ..." -> "EPP running over QUIC"
 *   ~ compressnet 2/tcp: port 2 -> none
 * An assignment is shown as its name ("(unassigned)", "(reserved)",
 * "(unnamed)" without one), then port or range and protocol: 6610/tcp,
 * 288-307 (no protocol), "(no port)/tcp", "(no port)".  Changed lines name
 * the old assignment and list each field "old -> new", separated by "; ".
 * Descriptions are shown on one line, control characters as '?'.  0, or -1
 * if a write failed.  OUT is not flushed. */
int registry_diff_write_text(FILE *out, const struct registry_diff *diff, bool verbose);

/* One JSON document (RFC 8259, UTF-8), one change per line:
 *   {"old":{"source":S,"updated":"2024-03-18","records":N},"new":{...},
 *    "added":N,"removed":N,"changed":N,"changes":[
 *   {"change":"added","fields":[],"old":null,"new":RECORD},
 *   {"change":"changed","fields":["port","description"],"old":RECORD,"new":RECORD},
 *   ...
 *   ]}
 * RECORD is {"line","name","port","port_last","protocol","status",
 * "description"} with the values --format json gives them; "updated" is
 * null when the registry has no date, a side without a registry has
 * "records":0; fields are named "name", "port", "protocol", "description",
 * "status".  0, or -1 if a write failed.  OUT is not flushed. */
int registry_diff_write_json(FILE *out, const struct registry_diff *diff,
			     const char *old_source, const struct iana_registry *old_registry,
			     const char *new_source, const struct iana_registry *new_registry);

#endif /* REGISTRY_DIFF_H */
