/*
 * defang.h -- URLs and host names made unclickable for people to read:
 * the one rendering every report, draft, screen and CLI line uses for a
 * phishing site ("hxxps://login[.]example[.]com/path").
 */
#ifndef KYOCHO_DEFANG_H
#define KYOCHO_DEFANG_H

#include <stddef.h>

/*
 * Defang s (untrusted text: a URL, a host name or an address) into
 * buf[0..len): a scheme "http"/"https"/"ftp" (any case) becomes
 * "hxxp"/"hxxps"/"fxp", every '.' of the host part (up to the first '/',
 * '?', '#' or '\\' after the scheme; all of s without a scheme) becomes
 * "[.]", and text already defanged ("[.]", "hxxp") is left as it is.
 * The result is sanitized (text_sanitize: no control characters, no
 * escape sequences) and cut at a character boundary. Returns buf.
 */
char *defang(const char *s, char *buf, size_t len);

#endif
