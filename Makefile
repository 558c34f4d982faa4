# The handout's build: `make` leaves everything ./lisod needs (target/liso.jar and its class-data-sharing archive),
# `make test` runs the whole suite (./scripts/test.sh), `make dist` the release archive, `make clean` removes the
# build. Needs a JDK >= 17 and Maven;
# `make MVN_FLAGS=-o` builds offline from ~/.m2. `make install PREFIX=~/.local` puts a `liso` on PATH (default
# PREFIX=/usr/local): a two-line wrapper that runs this checkout's ./liso, which builds the jar on first use.
MVN ?= mvn
PREFIX ?= /usr/local
MVN_FLAGS ?=
SOURCES := pom.xml $(shell find src/main -type f)

.PHONY: all test clean install uninstall dist
all: target/liso.jsa

target/liso.jar: $(SOURCES)
	$(MVN) -q -B $(MVN_FLAGS) -DskipTests package
	@touch $@

# Made after the jar, so it is newer: the launchers use it only then (see ./liso).
target/liso.jsa: target/liso.jar scripts/cds-archive.sh
	./scripts/cds-archive.sh target/liso.jar $@

test:
	./scripts/test.sh

clean:
	rm -rf target dist

# The release archive (and a .deb where jpackage can make one) in dist/: runs without a JDK (scripts/dist.sh).
dist: target/liso.jar
	./scripts/dist.sh --jar target/liso.jar

# A wrapper rather than a copy: ./liso finds target/ and src/ next to itself, and a wrapper keeps working after
# `git pull` without reinstalling. The checkout path is single-quoted, so spaces in it are fine (quotes are not).
install:
	mkdir -p '$(DESTDIR)$(PREFIX)/bin'
	printf '#!/bin/sh\n# Installed by make install: runs the checkout at %s\nexec %s "$$@"\n' \
		'$(CURDIR)' "'$(CURDIR)/liso'" > '$(DESTDIR)$(PREFIX)/bin/liso'
	chmod 755 '$(DESTDIR)$(PREFIX)/bin/liso'

uninstall:
	rm -f '$(DESTDIR)$(PREFIX)/bin/liso'
