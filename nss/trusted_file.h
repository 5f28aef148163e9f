/* trusted_file.h - the NSS module's trust rule for its index, after
 * OpenSSH's StrictModes (nss-iana(8) states it for users). */
#ifndef NSS_IANA_TRUSTED_FILE_H
#define NSS_IANA_TRUSTED_FILE_H

#include <sys/types.h>

#define TRUST_ROOT_ONLY ((uid_t)-1)

/* Open PATH read-only if it may be trusted: PATH, with every symbolic link
 * resolved, is a regular file, and it and every directory above it up to
 * "/" are owned by root or by ALSO (TRUST_ROOT_ONLY: root alone) and not
 * writable by group or others.  A directory writable by others passes
 * only when it is root's and sticky (/tmp): there nobody else can rename
 * or remove an entry that is not theirs.  The descriptor (close-on-exec),
 * or -1 with errno set (EPERM when the file is not trusted). */
int nss_iana_open_trusted(const char *path, uid_t also);

#endif /* NSS_IANA_TRUSTED_FILE_H */
