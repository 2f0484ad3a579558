# kyocho -- a NOC situational-awareness terminal. See README.
#
# `make run` and `make check` install the Debian packages they need (via
# `make deps` / `make deps-test`) when pkg-config or a test tool says one is
# missing, so each is a single command on a fresh Debian 12 machine.

VERSION   = 0.1.0
PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
MANDIR   ?= $(PREFIX)/share/man
DATADIR  ?= $(PREFIX)/share/kyocho
LOCALEDIR ?= $(PREFIX)/share/locale
DESTDIR  ?=

B        ?= build
CC       ?= cc
CLANG    ?= clang
PKGS      = ncursesw libpcap libcares libmaxminddb libutf8proc sqlite3 \
	    libmicrohttpd jansson libcrypto libpsl libcurl cmocka
MODEL_PKGS = libpcap libcares libmaxminddb libutf8proc sqlite3 libmicrohttpd \
	    jansson libcrypto libpsl libcurl

# Debian packages: building (and the Japanese fonts the HTML reports name,
# for printing them), and the real tools the tests drive.
DEB_BUILD = build-essential pkg-config libncurses-dev libpcap-dev \
	    libc-ares-dev libcmocka-dev libmaxminddb-dev libutf8proc-dev \
	    libsqlite3-dev libmicrohttpd-dev libjansson-dev libssl-dev \
	    libpsl-dev publicsuffix libcurl4-openssl-dev \
	    gettext tzdata fonts-noto-cjk fonts-ipafont-gothic
DEB_TEST  = tmux tshark tcpdump iproute2 hping3 clang libclang-rt-14-dev \
	    locales jq time nsd libmaxmind-db-writer-perl python3 softflowd pmacct \
	    chromium poppler-utils fonts-noto-cjk libc-bin gobgpd sqlite3 prometheus \
	    python3-jsonschema exabgp
TEST_TOOLS = tmux tshark tcpdump ip hping3 clang jq /usr/bin/time nsd python3 \
	     /usr/sbin/locale-gen softflowd pmacctd chromium pdfinfo pdftotext \
	     pdffonts /usr/sbin/zic gobgp gobgpd sqlite3 promtool prometheus \
	     /usr/bin/jsonschema /usr/sbin/exabgp

WARN     = -Wall -Wextra -Wformat=2 -Wshadow -Wmissing-prototypes \
	   -Wstrict-prototypes
WERROR   ?= $(if $(CI),-Werror)
OPT      ?= -O2 -g
SAN      ?=
SANITIZE = -fsanitize=address,undefined -fno-omit-frame-pointer \
	   -fno-sanitize-recover=undefined
SANFLAGS = $(if $(SAN),$(SANITIZE))

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs ncursesw $(MODEL_PKGS) 2>/dev/null)
MODEL_LIBS := $(shell pkg-config --libs $(MODEL_PKGS) 2>/dev/null) -lm -lpthread
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null)

CPPFLAGS += -D_GNU_SOURCE -DKYOCHO_VERSION='"$(VERSION)"' \
	    -DKYOCHO_DATADIR='"$(DATADIR)"' -DKYOCHO_LOCALEDIR='"$(LOCALEDIR)"' \
	    -Isrc -Iviews
CFLAGS   += -std=c11 $(OPT) $(WARN) $(WERROR) $(SANFLAGS) $(PKG_CFLAGS) -pthread
LDFLAGS  += $(SANFLAGS) -pthread

MODEL_SRC := $(filter-out src/cli/main.c,$(wildcard src/*/*.c))
VIEW_SRC  := $(wildcard views/*.c)
TEST_SRC  := $(wildcard tests/*/test_*.c)
TOOL_SRC  := $(wildcard tools/*.c)
FUZZ_SRC  := $(wildcard tests/fuzz/fuzz_*.c)

MODEL_OBJ := $(MODEL_SRC:%.c=$(B)/%.o)
VIEW_OBJ  := $(VIEW_SRC:%.c=$(B)/%.o)
TESTS     := $(TEST_SRC:tests/%.c=$(B)/tests/%)
TOOLS     := $(TOOL_SRC:tools/%.c=$(B)/tools/%)
FUZZ_REG  := $(FUZZ_SRC:tests/fuzz/%.c=$(B)/fuzz-reg/%)
PO        := $(wildcard po/*.po)
MO        := $(PO:po/%.po=$(B)/locale/%/LC_MESSAGES/kyocho.mo)

KYOCHO    = $(B)/kyocho
LIB       = $(B)/libkyocho.a

.PHONY: FORCE all check check-run asan bench bench-live bench-run run run-demo install \
	uninstall clean deps deps-test depcheck depcheck-test fuzz unit e2e data

all: $(KYOCHO) $(TOOLS) $(MO)

$(B)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

$(LIB): $(MODEL_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(KYOCHO): $(B)/src/cli/main.o $(VIEW_OBJ) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $(B)/src/cli/main.o $(VIEW_OBJ) $(LIB) $(PKG_LIBS) -lm

$(B)/tests/%: tests/%.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Itests $(CFLAGS) -o $@ $< $(LIB) $(MODEL_LIBS) $(CMOCKA_LIBS) $(LDFLAGS)

$(B)/tools/%: tools/%.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< $(LIB) $(MODEL_LIBS) $(LDFLAGS)

# Fuzz targets also build as plain programs that replay their corpus and
# every crash that became a regression case (tests/fuzz/corpus/NAME/).
$(B)/fuzz-reg/%: tests/fuzz/%.c tests/fuzz/standalone.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< tests/fuzz/standalone.c $(LIB) $(MODEL_LIBS) $(LDFLAGS)

$(B)/locale/%/LC_MESSAGES/kyocho.mo: po/%.po
	@mkdir -p $(@D)
	msgfmt --check -o $@ $<

# The installation paths are compiled in: rebuild what uses them when they
# change (make install PREFIX=... after a plain make).
$(B)/paths.stamp: FORCE
	@mkdir -p $(B)
	@echo '$(DATADIR) $(LOCALEDIR)' | cmp -s - $@ || echo '$(DATADIR) $(LOCALEDIR)' >$@
$(B)/src/settings/config.o $(B)/src/cli/main.o: $(B)/paths.stamp
FORCE:

-include $(shell find $(B) -name '*.d' 2>/dev/null)

# ---- dependencies -------------------------------------------------------

SUDO = $(shell [ "$$(id -u)" = 0 ] || echo sudo)

deps:
	$(SUDO) apt-get update
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y --no-install-recommends $(DEB_BUILD)

deps-test: deps
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y --no-install-recommends $(DEB_TEST)

depcheck:
	@pkg-config --exists $(PKGS) && command -v msgfmt >/dev/null && \
	    [ -f /usr/share/zoneinfo/zone1970.tab ] || $(MAKE) --no-print-directory deps

depcheck-test: depcheck
	@for t in $(TEST_TOOLS); do command -v $$t >/dev/null || missing=1; done; \
	    [ -z "$$missing" ] || $(MAKE) --no-print-directory deps-test

# ---- running ------------------------------------------------------------

run: depcheck
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory run-demo

# The demo: two generated captures (tools/mkdemo.c) replayed as the two
# peering links of 203.0.113.0/24, at their own pace, without root. Each
# link's neighbour router is named by its MAC (mkdemo's peers): AS64497
# example-peer-a on peering-A, AS64498 example-peer-b on peering-B; our
# customer example-customer (203.0.113.64/26, data/contacts.txt) holds the
# bot of the outbound flood. Every escalation tier shows in the demo.
DEMO_A = $(B)/demo-peering-A.pcap
DEMO_B = $(B)/demo-peering-B.pcap
DEMO_NEIGHBOURS = --neighbour 02:00:5e:10:00:01=64497:example-peer-a \
	    --neighbour 02:00:5e:20:00:01=64498:example-peer-b --our-zone Asia/Tokyo
run-demo:
	$(B)/tools/mkdemo $(B)
	$(KYOCHO) --data data --home 203.0.113.0/24 --home 2001:db8:100::/48 \
	    --link peering-A=$(DEMO_A):10M --link peering-B=$(DEMO_B):10M \
	    $(DEMO_NEIGHBOURS) \
	    --threshold syn=300 --threshold udp=300 -r $(DEMO_A) -r $(DEMO_B)

# ---- tests --------------------------------------------------------------

check: depcheck-test
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory check-run

check-run: layers unit e2e

# Every test runs isolated (tests/run-isolated.sh): env -i, a fixed locale
# and TZ, and HOME and the XDG directories of its own, so nothing in the
# user's home (config, `make data`'s prefix data, journals) reaches it.
ISOLATED = tests/run-isolated.sh

# The include layers of tools/layers.txt (lower folders never include
# higher ones, no include cycles).
.PHONY: layers
layers:
	@bash tools/check-layers.sh $(CURDIR)

unit: $(TESTS) $(FUZZ_REG)
	@fail=0; n=0; \
	for t in $(TESTS); do n=$$((n+1)); \
	    echo "== $$t"; KYOCHO_SRCDIR=$(CURDIR) $(ISOLATED) $$t || fail=$$((fail+1)); done; \
	for f in $(FUZZ_REG); do n=$$((n+1)); name=$$(basename $$f); \
	    echo "== $$f"; $(ISOLATED) $$f tests/fuzz/corpus/$${name#fuzz_} || fail=$$((fail+1)); done; \
	echo "unit: $$((n-fail)) passed, $$fail failed"; [ $$fail = 0 ]

e2e: all
	@fail=0; n=0; \
	for s in tests/e2e/*.sh; do [ -f "$$s" ] || continue; n=$$((n+1)); \
	    echo "== $$s"; KYOCHO=$(CURDIR)/$(KYOCHO) B=$(CURDIR)/$(B) \
	    SRCDIR=$(CURDIR) $(ISOLATED) bash $$s || { echo "FAILED: $$s"; fail=$$((fail+1)); }; done; \
	echo "e2e: $$((n-fail)) passed, $$fail failed"; [ $$fail = 0 ]

# The whole suite again under AddressSanitizer + UBSan, in its own tree.
asan: depcheck-test
	@$(MAKE) --no-print-directory B=build-asan SAN=1 OPT="-O1 -g" all
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	    $(MAKE) --no-print-directory B=build-asan SAN=1 OPT="-O1 -g" check-run

# libFuzzer: make fuzz FUZZ=decode SECS=60. Undefined behaviour is fatal
# (-fno-sanitize-recover), so libFuzzer saves the input as a crash instead
# of UBSan printing a warning and the run going on.
FUZZ ?= decode
SECS ?= 60
fuzz: $(MODEL_SRC)
	@mkdir -p $(B)/fuzz
	$(CLANG) $(CPPFLAGS) -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined \
	    -fno-sanitize-recover=all \
	    -o $(B)/fuzz/fuzz_$(FUZZ) tests/fuzz/fuzz_$(FUZZ).c $(MODEL_SRC) $(MODEL_LIBS)
	@mkdir -p $(B)/fuzz/corpus-$(FUZZ)
	$(B)/fuzz/fuzz_$(FUZZ) -max_total_time=$(SECS) $(B)/fuzz/corpus-$(FUZZ) tests/fuzz/corpus/$(FUZZ)

bench: depcheck-test
	@$(MAKE) --no-print-directory all OPT="-O2 -g -DNDEBUG"
	@bash tests/bench/run.sh $(CURDIR)/$(B)

# Live capture at rising rates over a veth pair in namespaces of its own
# (root; a few minutes; every core): kyocho summary -i against a bare
# libpcap live loop and tcpdump. Not part of `make bench`.
bench-live: depcheck-test
	@$(MAKE) --no-print-directory all OPT="-O2 -g -DNDEBUG"
	@bash tests/bench/live/live.sh $(CURDIR)/$(B)

# ---- data ---------------------------------------------------------------

# Fetch the pinned full prefix CSVs (ip-location-db, CC BY 4.0) with npm,
# check their integrity and install them under the user's data directory,
# then build the image kyocho maps instead of parsing them (kyocho prefix
# build, man/kyocho-prefixes.5).
data: $(KYOCHO)
	KYOCHO=$(CURDIR)/$(KYOCHO) bash tools/fetch-data.sh

# ---- installing ---------------------------------------------------------

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(DATADIR)
	install -m 755 $(KYOCHO) $(DESTDIR)$(BINDIR)/kyocho
	install -m 644 man/*.1 $(DESTDIR)$(MANDIR)/man1/
	for f in man/*.5; do [ -f "$$f" ] && install -m 644 $$f $(DESTDIR)$(MANDIR)/man5/; done; true
	cp -R data/. $(DESTDIR)$(DATADIR)/
	for m in $(MO); do l=$$(echo $$m | sed 's|.*/locale/\([^/]*\)/.*|\1|'); \
	    install -d $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES; \
	    install -m 644 $$m $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/kyocho.mo; done

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/kyocho
	for f in man/*.1; do rm -f $(DESTDIR)$(MANDIR)/man1/$$(basename $$f); done
	for f in man/*.5; do rm -f $(DESTDIR)$(MANDIR)/man5/$$(basename $$f); done
	rm -rf $(DESTDIR)$(DATADIR)
	for p in $(PO); do l=$$(basename $$p .po); rm -f $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/kyocho.mo; done

clean:
	rm -rf build build-asan
