/*
 * defang.c -- defanged renderings of URLs and host names (defang.h).
 * Input is hostile: a phishing URL is written to fool people and parsers;
 * the output is bounded by len and sanitized last.
 */
#include "base/defang.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/util.h"

char *
defang(const char *s, char *buf, size_t len)
{
	size_t n = strlen(s), i = 0, o = 0, cap = n * 3 + 8;
	char *tmp;
	int in_host = 1, scheme = 0;

	if (len == 0)
		return buf;
	tmp = xmalloc(cap);
	/* The scheme: http(s) and ftp lose their teeth. */
	if (n >= 4 && strncasecmp(s, "http", 4) == 0 &&
	    (strncmp(s + 4, "://", 3) == 0 || (n >= 8 &&
	    (s[4] == 's' || s[4] == 'S') && strncmp(s + 5, "://", 3) == 0))) {
		memcpy(tmp, "hxxp", 4);
		o = 4;
		i = 4;
	} else if (n >= 6 && strncasecmp(s, "ftp://", 6) == 0) {
		memcpy(tmp, "fxp", 3);
		o = 3;
		i = 3;
	}
	{
		const char *sep = strstr(s + i, "://");

		/* Copy a scheme (defanged or other) through its "://". */
		if (sep != NULL && (size_t)(sep - s) < 16) {
			size_t k, e = (size_t)(sep - s) + 3;

			for (k = i; k < e; k++)
				tmp[o++] = s[k];
			i = e;
			scheme = 1;
		}
	}
	for (; i < n; i++) {
		char ch = s[i];

		/* Without a scheme it is not known where a host ends (a source
		 * such as "rdap.example/domain/phish.example" names one in
		 * its path): every dot is defanged. */
		if (scheme && (ch == '/' || ch == '?' || ch == '#' || ch == '\\'))
			in_host = 0;
		if (ch == '[' && strncmp(s + i, "[.]", 3) == 0) {
			memcpy(tmp + o, "[.]", 3);
			o += 3;
			i += 2;
			continue;
		}
		if (ch == '.' && in_host) {
			memcpy(tmp + o, "[.]", 3);
			o += 3;
			continue;
		}
		tmp[o++] = ch;
	}
	text_sanitize(buf, len, tmp, o);
	free(tmp);
	return buf;
}
