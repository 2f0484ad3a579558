/*
 * test_defang.c -- defang() (base/defang.h): schemes lose their teeth,
 * dots of the host part become [.], already defanged text stays as it is,
 * and hostile text comes out sanitized and bounded.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "base/defang.h"

static void
eq(const char *in, const char *want)
{
	char buf[256];

	assert_string_equal(defang(in, buf, sizeof(buf)), want);
}

static void
test_defang(void **state)
{
	char small[12];

	(void)state;
	eq("https://login.phish.example/a.php?x=1.2",
	    "hxxps://login[.]phish[.]example/a.php?x=1.2");
	eq("HTTP://Login.Example", "hxxp://Login[.]Example");
	eq("ftp://f.example/x", "fxp://f[.]example/x");
	eq("login.phish.example", "login[.]phish[.]example");
	eq("198.51.100.7", "198[.]51[.]100[.]7");
	eq("2001:db8::7", "2001:db8::7");
	/* no scheme: where the host ends is not known, every dot goes (a
	 * source naming the phishing domain in its path) */
	eq("rdap.example:8443/domain/phish-bank.test",
	    "rdap[.]example:8443/domain/phish-bank[.]test");
	/* twice is once */
	eq("hxxps://login[.]phish[.]example/", "hxxps://login[.]phish[.]example/");
	/* userinfo trick: the dots before '@' too (all of the authority) */
	eq("https://bank.example@evil.example/",
	    "hxxps://bank[.]example@evil[.]example/");
	/* no escape sequence or line break survives */
	defang("https://a.example/\x1b[31m\nx", small, sizeof(small));
	assert_null(strchr(small, '\x1b'));
	assert_null(strchr(small, '\n'));
	assert_true(strlen(small) < sizeof(small));
	eq("", "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defang),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
