#!/usr/bin/env bash
# Prints the JAVA_HOME of a JDK 25 (DESIGN.md: JDK 25 next to the default JDK 17). Sourced by the
# launcher and the test command; fails with a clear message when none is installed.
for d in "${P2SGW_JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25-* /usr/lib/jvm/java-25-* /usr/lib/jvm/jdk-25*; do
  if [ -n "$d" ] && [ -x "$d/bin/javac" ] && "$d/bin/java" -version 2>&1 | grep -q 'version "25'; then
    echo "$d"; exit 0
  fi
done
echo "p2sgw needs JDK 25 (looked in /usr/lib/jvm; set P2SGW_JAVA_HOME to point at one)" >&2
exit 1
