/* fixed_answer.h - for the benchmark's stand-in NSS modules (nss_const.c,
 * nss_floor.c): the one fixed answer ("const 1/tcp", no aliases) they
 * copy into the caller's buffer, as a module must (ERANGE when it does
 * not fit). */
#ifndef BENCH_FIXED_ANSWER_H
#define BENCH_FIXED_ANSWER_H

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <nss.h>
#include <stdalign.h>
#include <stdint.h>
#include <string.h>

static inline enum nss_status fixed_answer(struct servent *result, char *buffer, size_t buflen, int *errnop)
{
	static const char name[] = "const", proto[] = "tcp";
	size_t pad = (alignof(char *) - (uintptr_t)buffer % alignof(char *)) % alignof(char *);
	if (buflen < pad + sizeof(char *) + sizeof name + sizeof proto) {
		*errnop = ERANGE;
		return NSS_STATUS_TRYAGAIN;
	}
	char **aliases = (char **)(void *)(buffer + pad);
	char *p = buffer + pad + sizeof(char *);
	aliases[0] = NULL;
	result->s_name = memcpy(p, name, sizeof name);
	result->s_proto = memcpy(p + sizeof name, proto, sizeof proto);
	result->s_aliases = aliases;
	result->s_port = (int)htons(1);
	return NSS_STATUS_SUCCESS;
}

#endif /* BENCH_FIXED_ANSWER_H */
