/*
 * i18n.h -- message translation for the terminal (GNU gettext, text domain
 * "kyocho"). English is the source language; po/ja.po is Japanese.
 */
#ifndef KYOCHO_I18N_H
#define KYOCHO_I18N_H

#include <libintl.h>

#define _(s)	gettext(s)
#define N_(s)	(s)	/* marked for translation, translated where shown */

/*
 * Bind the text domain. The catalogue directory is, in order: the
 * environment's KYOCHO_LOCALEDIR, the build tree's locale/ beside the
 * running executable (so build/kyocho finds build/locale), then the
 * installed KYOCHO_LOCALEDIR. Call after setlocale().
 */
void i18n_init(void);

/* The directory chosen by i18n_init() (for --version style diagnostics). */
const char *i18n_dir(void);

#endif
