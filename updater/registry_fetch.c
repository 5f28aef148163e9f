/* registry_fetch.c - owns the libcurl transfer of update-iana-services
 * (see registry_fetch.h): request options (protocols, redirects, timeouts,
 * size cap, TLS verification, conditional headers), reading the status,
 * ETag and Last-Modified of the final response, writing the body to the
 * caller's descriptor, and turning every failure into one line. */
#include "registry_fetch.h"
#include "output_file.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#ifndef IANA_SERVICES_VERSION
#define IANA_SERVICES_VERSION "0.1"
#endif
#define USER_AGENT "update-iana-services/" IANA_SERVICES_VERSION " (iana-services registry update)"
#define MAX_REDIRECTS 5L

/* What the callbacks learn during one transfer. */
struct transfer {
	const struct fetch_request *request;
	struct fetch_result *result;
	bool saw_status;   /* an HTTP status line arrived */
	long status;       /* of the latest response */
	char reason[96];   /* its reason phrase, "" when none (HTTP/2) */
	uint64_t written;
	int write_errno;   /* writing the body failed */
	bool too_large;
};

int registry_fetch_global_init(char *error, size_t size)
{
	CURLcode rc = curl_global_init(CURL_GLOBAL_DEFAULT);
	if (rc != CURLE_OK) {
		snprintf(error, size, "cannot initialise libcurl: %s", curl_easy_strerror(rc));
		return -1;
	}
	return 0;
}

void registry_fetch_global_cleanup(void)
{
	curl_global_cleanup();
}

void fetch_result_free(struct fetch_result *result)
{
	free(result->etag);
	free(result->last_modified);
	result->etag = result->last_modified = NULL;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Longest ETag or Last-Modified kept (they go back into a request). */
#define MAX_VALIDATOR 512

/* If the header line DATA (LEN bytes) is NAME (case-insensitive), its value
 * trimmed, malloc'ed; NULL otherwise, or when the value is empty, longer
 * than MAX_VALIDATOR or holds anything but printable ASCII (it may be sent
 * back in a header). */
static char *header_value(const char *data, size_t len, const char *name)
{
	size_t n = strlen(name);
	if (len <= n || data[n] != ':' || strncasecmp(data, name, n) != 0)
		return NULL;
	const char *v = data + n + 1, *end = data + len;
	while (v < end && is_blank(*v))
		v++;
	while (end > v && is_blank(end[-1]))
		end--;
	if (v == end || end - v > MAX_VALIDATOR)
		return NULL;
	for (const char *p = v; p < end; p++)
		if (*p < 0x20 || *p > 0x7e)
			return NULL;
	return strndup(v, (size_t)(end - v));
}

static void replace_string(char **slot, char *value)
{
	free(*slot);
	*slot = value;
}

static size_t on_header(char *data, size_t size, size_t count, void *userdata)
{
	struct transfer *t = userdata;
	size_t len = size * count;
	if (len > 5 && memcmp(data, "HTTP/", 5) == 0) {
		/* A new response (after a redirect, say): forget the last one's. */
		t->saw_status = true;
		t->status = 0;
		t->reason[0] = '\0';
		replace_string(&t->result->etag, NULL);
		replace_string(&t->result->last_modified, NULL);
		const char *p = memchr(data, ' ', len), *end = data + len;
		if (p != NULL) {
			p++;
			for (int digits = 0; digits < 3 && p < end && *p >= '0' && *p <= '9'; digits++)
				t->status = t->status * 10 + (*p++ - '0');
			while (p < end && *p == ' ')
				p++;
			/* the reason phrase: the rest of the line */
			size_t n = 0;
			for (; p < end && *p != '\r' && *p != '\n' && n + 1 < sizeof(t->reason); p++)
				t->reason[n++] = *p >= 0x20 && *p < 0x7f ? *p : '?';
			t->reason[n] = '\0';
		}
		return len;
	}
	char *value;
	if ((value = header_value(data, len, "ETag")) != NULL)
		replace_string(&t->result->etag, value);
	else if ((value = header_value(data, len, "Last-Modified")) != NULL)
		replace_string(&t->result->last_modified, value);
	return len;
}

static size_t on_body(char *data, size_t size, size_t count, void *userdata)
{
	struct transfer *t = userdata;
	size_t len = size * count;
	/* Only a 200's body is the registry; an error page is not kept (the
	 * transfer stops, and the status is what gets reported). */
	if (t->saw_status && t->status != 200)
		return 0;
	if (len > t->request->max_size - t->written) {
		t->too_large = true;
		return 0;
	}
	if (write_all(t->request->fd, data, len) < 0) {
		t->write_errno = errno;
		return 0;
	}
	t->written += len;
	return len;
}

/* libcurl calls this often during a transfer, and about once a second
 * while waiting: the place to notice a cancel flag. */
static int on_progress(void *userdata, curl_off_t dl_total, curl_off_t dl_now, curl_off_t ul_total,
		       curl_off_t ul_now)
{
	const struct transfer *t = userdata;
	(void)dl_total, (void)dl_now, (void)ul_total, (void)ul_now;
	return t->request->cancel != NULL && *t->request->cancel ? 1 : 0;
}

static bool starts_with(const char *s, const char *prefix)
{
	return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

/* The request's options; CURLE_OK or the first failure. */
static CURLcode configure(CURL *curl, const struct fetch_request *r, struct transfer *t,
			  struct curl_slist **headers, char *curl_error)
{
	CURLcode rc = CURLE_OK;
#define SET(option, value)                                            \
	do {                                                          \
		if (rc == CURLE_OK)                                   \
			rc = curl_easy_setopt(curl, option, value);   \
	} while (0)
	SET(CURLOPT_URL, r->url);
	SET(CURLOPT_ERRORBUFFER, curl_error);
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_USERAGENT, USER_AGENT);
	/* Only what a registry mirror can be; a redirect from https:// must
	 * stay on https://. */
#if LIBCURL_VERSION_NUM >= 0x075500
	SET(CURLOPT_PROTOCOLS_STR, "https,http,file");
	SET(CURLOPT_REDIR_PROTOCOLS_STR, starts_with(r->url, "https:") ? "https" : "https,http");
#else
	SET(CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTPS | CURLPROTO_HTTP | CURLPROTO_FILE));
	SET(CURLOPT_REDIR_PROTOCOLS,
	    starts_with(r->url, "https:") ? (long)CURLPROTO_HTTPS : (long)(CURLPROTO_HTTPS | CURLPROTO_HTTP));
#endif
	SET(CURLOPT_FOLLOWLOCATION, 1L);
	SET(CURLOPT_MAXREDIRS, MAX_REDIRECTS);
	SET(CURLOPT_SSL_VERIFYPEER, 1L);
	SET(CURLOPT_SSL_VERIFYHOST, 2L);
	SET(CURLOPT_CONNECTTIMEOUT, r->connect_timeout);
	SET(CURLOPT_TIMEOUT, r->total_timeout);
	SET(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)r->max_size);
	SET(CURLOPT_ACCEPT_ENCODING, ""); /* every encoding libcurl decodes */
	SET(CURLOPT_HEADERFUNCTION, on_header);
	SET(CURLOPT_HEADERDATA, t);
	SET(CURLOPT_WRITEFUNCTION, on_body);
	SET(CURLOPT_WRITEDATA, t);
	SET(CURLOPT_XFERINFOFUNCTION, on_progress);
	SET(CURLOPT_XFERINFODATA, t);
	SET(CURLOPT_NOPROGRESS, 0L);
	if (rc != CURLE_OK)
		return rc;

	char line[1024];
	if (r->etag != NULL) {
		snprintf(line, sizeof(line), "If-None-Match: %s", r->etag);
		struct curl_slist *more = curl_slist_append(*headers, line);
		if (more == NULL)
			return CURLE_OUT_OF_MEMORY;
		*headers = more;
	}
	if (r->last_modified != NULL) {
		snprintf(line, sizeof(line), "If-Modified-Since: %s", r->last_modified);
		struct curl_slist *more = curl_slist_append(*headers, line);
		if (more == NULL)
			return CURLE_OUT_OF_MEMORY;
		*headers = more;
	}
	if (*headers != NULL)
		SET(CURLOPT_HTTPHEADER, *headers);
#undef SET
	return rc;
}

static void record_counts(CURL *curl, struct fetch_result *result)
{
	long header_size = 0, request_size = 0;
	curl_off_t body = 0, total_us = 0;
	curl_easy_getinfo(curl, CURLINFO_HEADER_SIZE, &header_size);
	curl_easy_getinfo(curl, CURLINFO_REQUEST_SIZE, &request_size);
	curl_easy_getinfo(curl, CURLINFO_SIZE_DOWNLOAD_T, &body);
	curl_easy_getinfo(curl, CURLINFO_TOTAL_TIME_T, &total_us);
	result->bytes_sent = request_size > 0 ? (uint64_t)request_size : 0;
	result->bytes_received = (header_size > 0 ? (uint64_t)header_size : 0) + (body > 0 ? (uint64_t)body : 0);
	result->seconds = (double)total_us / 1e6;
}

int registry_fetch(const struct fetch_request *request, struct fetch_result *result)
{
	memset(result, 0, sizeof(*result));
	struct transfer t = {.request = request, .result = result};
	char curl_error[CURL_ERROR_SIZE] = "";
	const char *url = request->url;

	CURL *curl = curl_easy_init();
	if (curl == NULL) {
		snprintf(result->error, sizeof(result->error), "cannot fetch %s: cannot set up libcurl", url);
		return FETCH_ERROR;
	}
	struct curl_slist *headers = NULL;
	CURLcode rc = configure(curl, request, &t, &headers, curl_error);
	if (rc == CURLE_OK)
		rc = curl_easy_perform(curl);
	record_counts(curl, result);
	result->http_status = t.saw_status ? t.status : 0;
	result->body_size = t.written;
	curl_easy_cleanup(curl);
	curl_slist_free_all(headers);

	bool conditional = request->etag != NULL || request->last_modified != NULL;
	int status = FETCH_ERROR;
	if (rc == CURLE_ABORTED_BY_CALLBACK) {
		snprintf(result->error, sizeof(result->error), "fetching %s was interrupted", url);
	} else if (t.write_errno != 0) {
		snprintf(result->error, sizeof(result->error), "cannot write the download to %s: %s",
			 request->fd_name, strerror(t.write_errno));
	} else if (t.too_large || rc == CURLE_FILESIZE_EXCEEDED) {
		snprintf(result->error, sizeof(result->error),
			 "cannot fetch %s: the response is larger than the limit of %llu bytes", url,
			 (unsigned long long)request->max_size);
	} else if (t.saw_status && t.status != 200 && (rc == CURLE_OK || rc == CURLE_WRITE_ERROR) &&
		   !(t.status == 304 && conditional && rc == CURLE_OK)) {
		/* An error status (its body refused by on_body), or a 304 that
		 * answers no condition of ours. */
		snprintf(result->error, sizeof(result->error), "cannot fetch %s: HTTP %ld%s%s%s", url,
			 t.status, t.reason[0] ? " " : "", t.reason,
			 t.status == 304 ? " to a request that was not conditional" : "");
	} else if (rc != CURLE_OK) {
		snprintf(result->error, sizeof(result->error), "cannot fetch %s: %s%s%s%s", url,
			 curl_easy_strerror(rc), curl_error[0] ? " (" : "", curl_error,
			 curl_error[0] ? ")" : "");
	} else {
		status = t.saw_status && t.status == 304 ? FETCH_NOT_MODIFIED : FETCH_OK;
	}
	return status;
}
