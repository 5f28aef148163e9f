/* file_id.c - file identities (see file_id.h). */
#include "file_id.h"

struct iana_file_id iana_file_id_of(const struct stat *st)
{
	return (struct iana_file_id){
		.dev = (uint64_t)st->st_dev,
		.ino = (uint64_t)st->st_ino,
		.size = (int64_t)st->st_size,
		.mtime_sec = (int64_t)st->st_mtim.tv_sec,
		.mtime_nsec = (int64_t)st->st_mtim.tv_nsec,
	};
}

bool iana_file_id_equal(const struct iana_file_id *a, const struct iana_file_id *b)
{
	return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
	       a->mtime_sec == b->mtime_sec && a->mtime_nsec == b->mtime_nsec;
}
