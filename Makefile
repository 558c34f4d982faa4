# The handout's build: `make` leaves everything ./lisod needs (target/liso.jar and its class-data-sharing archive),
# `make test` runs the whole suite (./scripts/test.sh), `make clean` removes the build. Needs a JDK >= 17 and Maven;
# `make MVN_FLAGS=-o` builds offline from ~/.m2.
MVN ?= mvn
MVN_FLAGS ?=
SOURCES := pom.xml $(shell find src/main -type f)

.PHONY: all test clean
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
	rm -rf target
