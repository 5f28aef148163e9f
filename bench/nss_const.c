/* nss_const.c - benchmark helper built as build/bench/libnss_const.so.2 (not
 * a bench program): a trivial glibc NSS module for the services database
 * whose getservbyname_r and getservbyport_r ignore the key and fill one
 * fixed answer ("const 1/tcp", no aliases) into the caller's buffer.  It
 * does the least a module can do, so timing lookups through it measures
 * glibc's NSS dispatch alone: the floor that run-nss-bench.sh compares
 * libnss_iana.so.2 with. */
#include "fixed_answer.h"

enum nss_status _nss_const_getservbyname_r(const char *name, const char *proto,
					   struct servent *result, char *buffer,
					   size_t buflen, int *errnop);
enum nss_status _nss_const_getservbyport_r(int port, const char *proto,
					   struct servent *result, char *buffer,
					   size_t buflen, int *errnop);

enum nss_status _nss_const_getservbyname_r(const char *name, const char *proto,
					   struct servent *result, char *buffer,
					   size_t buflen, int *errnop)
{
	(void)name;
	(void)proto;
	return fixed_answer(result, buffer, buflen, errnop);
}

enum nss_status _nss_const_getservbyport_r(int port, const char *proto,
					   struct servent *result, char *buffer,
					   size_t buflen, int *errnop)
{
	(void)port;
	(void)proto;
	return fixed_answer(result, buffer, buflen, errnop);
}
