# Sourced by ./meridian and ./dev: sets JAVA_HOME to a JDK 25 or newer, or explains what to install.
# Order: $JAVA_HOME if it is 25+, then /usr/lib/jvm/*25*, then `java` on the PATH if it is 25+.

meridian_java_major() { # $1 = a java binary; prints its major version
  local v
  v=$("$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')
  echo "${v%%.*}"
}

meridian_find_jdk() {
  local cand major
  for cand in "${JAVA_HOME:-}" /usr/lib/jvm/*25* "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")"; do
    [ -n "$cand" ] && [ -x "$cand/bin/java" ] || continue
    major=$(meridian_java_major "$cand/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 25 ] 2>/dev/null; then
      export JAVA_HOME="$cand"
      return 0
    fi
  done
  cat >&2 <<'MSG'
meridian: no JDK 25 or newer found.
  Looked at $JAVA_HOME, /usr/lib/jvm/*25* and the `java` on the PATH.
  Install one (for example Eclipse Temurin 25 from https://adoptium.net, which lands in
  /usr/lib/jvm/temurin-25-jdk-amd64), or set JAVA_HOME to a JDK 25+.
MSG
  return 1
}
