/* nss_const.c - benchmark helper built as build/bench/libnss_const.so.2 (not
 * a bench program): a trivial glibc NSS module for the services database
 * whose getservbyname_r and getservbyport_r ignore the key and fill one
 * fixed answer ("const 1/tcp", no aliases) into the caller's buffer.  It
 * does the least a module can do, so timing lookups through it measures
 * glibc's NSS dispatch alone: the floor that run-nss-bench.sh compares
 * libnss_iana.so.2 with. */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <nss.h>
#include <stdalign.h>
#include <stdint.h>
#include <string.h>

enum nss_status _nss_const_getservbyname_r(const char *name, const char *proto,
					   struct servent *result, char *buffer,
					   size_t buflen, int *errnop);
enum nss_status _nss_const_getservbyport_r(int port, const char *proto,
					   struct servent *result, char *buffer,
					   size_t buflen, int *errnop);

static enum nss_status answer(struct servent *result, char *buffer, size_t buflen, int *errnop)
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

enum nss_status _nss_const_getservbyname_r(const char *name, const char *proto,
					   struct servent *result, char *buffer,
					   size_t buflen, int *errnop)
{
	(void)name;
	(void)proto;
	return answer(result, buffer, buflen, errnop);
}

enum nss_status _nss_const_getservbyport_r(int port, const char *proto,
					   struct servent *result, char *buffer,
					   size_t buflen, int *errnop)
{
	(void)port;
	(void)proto;
	return answer(result, buffer, buflen, errnop);
}
