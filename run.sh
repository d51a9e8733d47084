#!/bin/sh
# Builds Xend if needed and runs it in the foreground on the simulated hypervisor.
# The log goes to stdout (and data/log/karaf.log); Ctrl-C or SIGTERM stops the daemon in order.
set -e
cd "$(dirname "$0")"

assembly=karaf-distribution/target/assembly
archive=$(ls karaf-distribution/target/xend-karaf-distribution-*.tar.gz 2>/dev/null | head -n 1)

# The archive is written last by the build, so its age tells whether any source changed since.
needs_build() {
    [ ! -x "$assembly/bin/karaf" ] && return 0
    [ -z "$archive" ] && return 0
    [ -n "$(find pom.xml etc bundles features karaf-distribution -path '*/target' -prune \
            -o -type f -newer "$archive" -print 2>/dev/null | head -n 1)" ]
}

if needs_build; then
    echo "Building Xend (mvn -B -q -DskipTests install -pl karaf-distribution -am) ..."
    mvn -B -q -DskipTests install -pl karaf-distribution -am
fi

if ! java -version 2>&1 | grep -q 'version "17[."]' && [ -z "$JAVA_HOME" ]; then
    echo "warning: Karaf 4.4.10 is tested on JDK 17; 'java' here is: $(java -version 2>&1 | head -n 1)" >&2
fi

# exec all the way down: the JVM replaces this script, so SIGTERM reaches Karaf directly.
KARAF_EXEC=exec
export KARAF_EXEC
exec "$assembly/bin/karaf" run
