/* test_output_file.c - unit tests of gen-services' output delivery: atomic
 * replacement (in one call and in steps), mode keeping, in-place writes to
 * devices and FIFOs, and the failures that must leave the old file
 * untouched (full disk, unwritable directory).  Everything happens in a private temporary directory. */
#include "output_file.h"
#include "test_support.h"

#include <dirent.h>
#include <grp.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char dir[] = "/tmp/iana-output-XXXXXX";

static void make_dir(void)
{
	strcpy(dir, "/tmp/iana-output-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void remove_dir(void)
{
	DIR *d = opendir(dir);
	if (d != NULL) {
		struct dirent *e;
		while ((e = readdir(d)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			char path[512];
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			unlink(path);
		}
		closedir(d);
	}
	chmod(dir, 0700);
	rmdir(dir);
}

static const char *in_dir(const char *name)
{
	static char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

static void put_file(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write_all(fd, text, strlen(text)), 0);
	close(fd);
	ck_assert_int_eq(chmod(path, mode), 0);
}

static void expect_contents(const char *path, const char *text)
{
	size_t len;
	char *got = read_whole_file(path, &len);
	ck_assert_ptr_nonnull(got);
	ck_assert_str_eq(got, text);
	free(got);
}

static unsigned count_entries(void)
{
	unsigned n = 0;
	DIR *d = opendir(dir);
	ck_assert_ptr_nonnull(d);
	struct dirent *e;
	while ((e = readdir(d)) != NULL)
		n += e->d_name[0] != '.' || (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0);
	closedir(d);
	return n;
}

START_TEST(test_replaces_regular_file_keeping_mode)
{
	char error[256];
	const char *path = in_dir("services");
	put_file(path, "old\n", 0640);
	struct stat before;
	ck_assert_int_eq(stat(path, &before), 0);
	ck_assert_int_eq(output_file_write(path, "new contents\n", 13, error, sizeof(error)), 0);
	expect_contents(path, "new contents\n");
	struct stat after;
	ck_assert_int_eq(stat(path, &after), 0);
	ck_assert_uint_eq(after.st_mode & 07777, 0640);
	ck_assert_uint_ne(after.st_ino, before.st_ino); /* replaced, not rewritten */
	ck_assert_uint_eq(count_entries(), 1);          /* no temporary file left */
}
END_TEST

START_TEST(test_creates_new_file_with_umask_mode)
{
	char error[256];
	mode_t old_mask = umask(022);
	ck_assert_int_eq(output_file_write(in_dir("fresh"), "x\n", 2, error, sizeof(error)), 0);
	umask(old_mask);
	struct stat st;
	ck_assert_int_eq(stat(in_dir("fresh"), &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0644);
	expect_contents(in_dir("fresh"), "x\n");
}
END_TEST

START_TEST(test_full_disk_is_reported)
{
	char error[256];
	errno = 0;
	ck_assert_int_eq(output_file_write("/dev/full", "data\n", 5, error, sizeof(error)), -1);
	ck_assert_int_eq(errno, ENOSPC);
	ck_assert_msg(strstr(error, "/dev/full") && strstr(error, "No space left on device"), "%s", error);
	/* still a device: written in place, never replaced */
	struct stat st;
	ck_assert_int_eq(stat("/dev/full", &st), 0);
	ck_assert(S_ISCHR(st.st_mode));
}
END_TEST

START_TEST(test_unwritable_directory_leaves_old_file)
{
	const char *path = in_dir("services");
	put_file(path, "old\n", 0644);
	ck_assert_int_eq(chmod(dir, 0755), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		/* root ignores permission bits: try as nobody; others lose write */
		if (geteuid() == 0) {
			if (setgroups(0, NULL) != 0 || setgid(65534) != 0 || setuid(65534) != 0)
				_exit(3);
		} else if (chmod(dir, 0555) != 0) {
			_exit(3);
		}
		char error[256];
		errno = 0;
		int rc = output_file_write(path, "new\n", 4, error, sizeof(error));
		if (rc != -1 || errno != EACCES || strstr(error, "cannot create a temporary file in") == NULL)
			_exit(1);
		_exit(0);
	}
	int status;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %d", status);
	expect_contents(path, "old\n");
	ck_assert_uint_eq(count_entries(), 1);
}
END_TEST

START_TEST(test_fifo_is_written_in_place)
{
	char error[256];
	const char *path = in_dir("fifo");
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	int fds[2];
	ck_assert_int_eq(pipe(fds), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(fds[0]);
		size_t len;
		char *got = read_whole_file(path, &len);
		_exit(got && write_all(fds[1], got, len) == 0 ? 0 : 1);
	}
	close(fds[1]);
	ck_assert_int_eq(output_file_write(path, "through the fifo\n", 17, error, sizeof(error)), 0);
	char buf[64] = {0};
	ssize_t n = read(fds[0], buf, sizeof(buf) - 1);
	close(fds[0]);
	int status;
	waitpid(pid, &status, 0);
	ck_assert_int_eq(n, 17);
	ck_assert_str_eq(buf, "through the fifo\n");
	struct stat st;
	ck_assert_int_eq(lstat(path, &st), 0);
	ck_assert(S_ISFIFO(st.st_mode));
}
END_TEST

START_TEST(test_symlink_target_is_replaced)
{
	char error[256];
	put_file(in_dir("target"), "old\n", 0644);
	ck_assert_int_eq(symlink("target", in_dir("link")), 0);
	ck_assert_int_eq(output_file_write(in_dir("link"), "new\n", 4, error, sizeof(error)), 0);
	struct stat st;
	ck_assert_int_eq(lstat(in_dir("link"), &st), 0);
	ck_assert(S_ISLNK(st.st_mode));
	expect_contents(in_dir("target"), "new\n");
}
END_TEST

START_TEST(test_directory_target_is_refused)
{
	char error[256];
	ck_assert_int_eq(output_file_write(dir, "x", 1, error, sizeof(error)), -1);
	ck_assert_int_eq(errno, EISDIR);
	ck_assert_ptr_nonnull(strstr(error, dir));
}
END_TEST

START_TEST(test_missing_directory_is_reported)
{
	char error[256];
	ck_assert_int_eq(output_file_write(in_dir("no/such/file"), "x", 1, error, sizeof(error)), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_msg(strstr(error, "cannot create a temporary file in") != NULL, "%s", error);
}
END_TEST

START_TEST(test_inherited_descriptor_written_at_its_offset)
{
	char error[256], path[64];
	const char *file = in_dir("shared");
	int fd = open(file, O_RDWR | O_CREAT | O_TRUNC, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write_all(fd, "before\n", 7), 0);
	snprintf(path, sizeof(path), "/dev/fd/%d", fd);
	ck_assert_int_eq(output_file_write(path, "output\n", 7, error, sizeof(error)), 0);
	ck_assert_int_eq(write_all(fd, "after\n", 6), 0);
	close(fd);
	expect_contents(file, "before\noutput\nafter\n");
	ck_assert_uint_eq(count_entries(), 1);
}
END_TEST

START_TEST(test_pending_file_appears_only_on_commit)
{
	char error[256];
	const char *path = in_dir("registry");
	put_file(path, "old\n", 0640);
	struct pending_file p;
	ck_assert_int_eq(pending_file_begin(&p, path, 0644, error, sizeof(error)), 0);
	ck_assert_int_eq(pending_file_write(&p, "new\n", 4, error, sizeof(error)), 0);
	ck_assert_int_eq(pending_file_sync(&p, error, sizeof(error)), 0);
	ck_assert_int_eq(p.fd, -1);
	expect_contents(path, "old\n"); /* written and synced, not yet visible */
	ck_assert_uint_eq(count_entries(), 2);
	ck_assert_int_eq(pending_file_commit(&p, error, sizeof(error)), 0);
	pending_file_discard(&p);
	expect_contents(path, "new\n");
	struct stat st;
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0640); /* the existing file's mode, not NEW_MODE */
	ck_assert_uint_eq(count_entries(), 1);
}
END_TEST

START_TEST(test_pending_file_discard_leaves_old_file)
{
	char error[256];
	const char *path = in_dir("registry");
	put_file(path, "old\n", 0644);
	struct pending_file p;
	ck_assert_int_eq(pending_file_begin(&p, path, 0, error, sizeof(error)), 0);
	ck_assert_int_eq(pending_file_write(&p, "half", 4, error, sizeof(error)), 0);
	pending_file_discard(&p);
	pending_file_discard(&p); /* twice is harmless */
	expect_contents(path, "old\n");
	ck_assert_uint_eq(count_entries(), 1);
}
END_TEST

START_TEST(test_pending_file_new_mode_ignores_umask)
{
	char error[256];
	mode_t old_mask = umask(077);
	struct pending_file p;
	ck_assert_int_eq(pending_file_begin(&p, in_dir("fresh"), 0644, error, sizeof(error)), 0);
	umask(old_mask);
	ck_assert_int_eq(pending_file_commit(&p, error, sizeof(error)), 0);
	pending_file_discard(&p);
	struct stat st;
	ck_assert_int_eq(stat(in_dir("fresh"), &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0644);
}
END_TEST

START_TEST(test_pending_file_refuses_non_regular)
{
	char error[256];
	struct pending_file p;
	ck_assert_int_eq(pending_file_begin(&p, "/dev/null", 0, error, sizeof(error)), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_msg(strstr(error, "not a regular file") && strstr(error, "/dev/null"), "%s", error);
	ck_assert_int_eq(p.fd, -1);
	ck_assert_ptr_null(p.tmp);
}
END_TEST

static Suite *output_file_suite(void)
{
	Suite *s = suite_create("output_file");
	TCase *tc = tcase_create("write");
	tcase_add_checked_fixture(tc, make_dir, remove_dir);
	tcase_add_test(tc, test_replaces_regular_file_keeping_mode);
	tcase_add_test(tc, test_creates_new_file_with_umask_mode);
	tcase_add_test(tc, test_full_disk_is_reported);
	tcase_add_test(tc, test_unwritable_directory_leaves_old_file);
	tcase_add_test(tc, test_fifo_is_written_in_place);
	tcase_add_test(tc, test_symlink_target_is_replaced);
	tcase_add_test(tc, test_directory_target_is_refused);
	tcase_add_test(tc, test_missing_directory_is_reported);
	tcase_add_test(tc, test_inherited_descriptor_written_at_its_offset);
	tcase_add_test(tc, test_pending_file_appears_only_on_commit);
	tcase_add_test(tc, test_pending_file_discard_leaves_old_file);
	tcase_add_test(tc, test_pending_file_new_mode_ignores_umask);
	tcase_add_test(tc, test_pending_file_refuses_non_regular);
	suite_add_tcase(s, tc);
	return s;
}

RUN_SUITE(output_file_suite)
