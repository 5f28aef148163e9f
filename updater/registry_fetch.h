/* registry_fetch.h - one download of the registry with libcurl, for
 * update-iana-services: into a file descriptor, conditional on what the
 * last download returned, bounded in time and size, with TLS verification,
 * and with one clear message when anything goes wrong.  Only the updater
 * links libcurl.
 *
 * URLs: https://, http:// and file:// (mirrors and tests); redirects are
 * followed (at most 5), from https:// only to https://.  libcurl's proxy
 * variables apply (https_proxy, no_proxy...).  The body
 * may come compressed (Accept-Encoding: whatever libcurl decodes); the size
 * limit applies to the decoded bytes.
 */
#ifndef REGISTRY_FETCH_H
#define REGISTRY_FETCH_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

struct fetch_request {
	const char *url;
	const char *etag;          /* sent as If-None-Match (HTTP), or NULL */
	const char *last_modified; /* sent as If-Modified-Since (HTTP), or NULL */
	int fd;                    /* the body is written here, from its offset */
	const char *fd_name;       /* FD's file, for messages */
	uint64_t max_size;         /* a larger body fails the transfer */
	long connect_timeout;      /* seconds to connect */
	long total_timeout;        /* seconds for the whole transfer */
	/* When set and *cancel becomes non-zero (a signal handler's flag), the
	 * transfer stops within about a second: FETCH_ERROR, "interrupted". */
	const volatile sig_atomic_t *cancel;
};

enum fetch_status {
	FETCH_ERROR = -1,
	FETCH_OK = 0,           /* the body is written to the descriptor */
	FETCH_NOT_MODIFIED = 1, /* HTTP 304 to a conditional request; nothing written */
};

struct fetch_result {
	long http_status;    /* of the final response; 0 when not HTTP (file://) */
	char *etag;          /* the response's ETag, or NULL (malloc'ed) */
	char *last_modified; /* its Last-Modified, or NULL (malloc'ed) */
	uint64_t body_size;  /* bytes written to the descriptor */
	uint64_t bytes_sent; /* request headers sent */
	uint64_t bytes_received; /* response headers and body as transferred */
	double seconds;      /* the transfer's duration, by libcurl */
	char error[768];     /* FETCH_ERROR: one line saying why */
};

/* Set libcurl up; once, from main(), before any other thread exists.
 * 0, or -1 with a message in ERROR. */
int registry_fetch_global_init(char *error, size_t error_size);
void registry_fetch_global_cleanup(void);

/* Fetch REQUEST->url into REQUEST->fd.  Returns an enum fetch_status; on
 * FETCH_ERROR, RESULT->error says why (libcurl's own message and detail,
 * the HTTP status, the limit exceeded, or the write error) and the
 * descriptor may hold part of a body.  Free RESULT with
 * fetch_result_free() in every case. */
int registry_fetch(const struct fetch_request *request, struct fetch_result *result);
void fetch_result_free(struct fetch_result *result);

#endif /* REGISTRY_FETCH_H */
