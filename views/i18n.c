/*
 * i18n.c -- finding the message catalogues. See i18n.h.
 */
#include "i18n.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef KYOCHO_LOCALEDIR
#define KYOCHO_LOCALEDIR "/usr/local/share/locale"
#endif

static char dir[PATH_MAX];

static int
is_dir(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* <directory of the executable>/locale, if it exists. */
static int
beside_exe(char *out, size_t len)
{
	char exe[PATH_MAX], *slash;
	ssize_t n;

	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return -1;
	exe[n] = '\0';
	if ((slash = strrchr(exe, '/')) == NULL)
		return -1;
	*slash = '\0';
	if ((size_t)snprintf(out, len, "%s/locale", exe) >= len)
		return -1;
	return is_dir(out) ? 0 : -1;
}

void
i18n_init(void)
{
	const char *env = getenv("KYOCHO_LOCALEDIR");

	if (env != NULL && *env != '\0')
		snprintf(dir, sizeof(dir), "%s", env);
	else if (beside_exe(dir, sizeof(dir)) != 0)
		snprintf(dir, sizeof(dir), "%s", KYOCHO_LOCALEDIR);
	bindtextdomain("kyocho", dir);
	bind_textdomain_codeset("kyocho", "UTF-8");
	textdomain("kyocho");
}

const char *
i18n_dir(void)
{
	return dir;
}
