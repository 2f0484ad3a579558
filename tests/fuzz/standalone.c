/*
 * standalone.c -- run a libFuzzer target over files without libFuzzer: each
 * argument is a file or a directory of files, each fed once to
 * LLVMFuzzerTestOneInput. This is how fuzz corpora and past crashes run as
 * regression tests in `make check` (under ASan in `make asan`).
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (f == NULL)
		return -1;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n > 0 ? (size_t)n : 1);
	if (buf == NULL || (n > 0 && fread(buf, 1, (size_t)n, f) != (size_t)n)) {
		fclose(f);
		free(buf);
		return -1;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, (size_t)n);
	free(buf);
	return 0;
}

int
main(int argc, char **argv)
{
	int i, ran = 0;

	for (i = 1; i < argc; i++) {
		struct stat st;
		DIR *d;
		struct dirent *e;

		if (stat(argv[i], &st) != 0)
			continue;
		if (!S_ISDIR(st.st_mode)) {
			ran += run_file(argv[i]) == 0;
			continue;
		}
		if ((d = opendir(argv[i])) == NULL)
			continue;
		while ((e = readdir(d)) != NULL) {
			char path[4096];

			if (e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", argv[i], e->d_name);
			ran += run_file(path) == 0;
		}
		closedir(d);
	}
	/* Also a few synthetic inputs so an empty corpus still exercises it. */
	{
		uint8_t buf[256];
		size_t n;

		for (n = 0; n <= sizeof(buf); n += 16) {
			memset(buf, (int)n, sizeof(buf));
			LLVMFuzzerTestOneInput(buf, n);
			ran++;
		}
	}
	printf("%d inputs replayed\n", ran);
	return 0;
}
