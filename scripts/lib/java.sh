# Sourced by every script that builds or runs the gateway: finds a JDK 25 or newer (Code Mode's
# sandbox, GraalJS, needs it) and exports JAVA_HOME and PATH for it, so Maven and `java` agree.
# Looks at $JAVA_HOME, then the `java` on PATH, then the JDKs under /usr/lib/jvm and /opt/java.
# Fails with a message naming what it found when none is 25+.
java_major() {
  "$1/bin/java" -version 2>&1 | sed -nE '1s/.*version "([0-9]+).*/\1/p'
}
select_jdk() {
  local candidates=() seen="" home major
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for home in /usr/lib/jvm/* /opt/java/*; do [ -x "$home/bin/java" ] && candidates+=("$home"); done
  for home in "${candidates[@]}"; do
    [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || continue
    major="$(java_major "$home")"
    seen="$seen $home($major)"
    if [ -n "$major" ] && [ "$major" -ge 25 ]; then
      export JAVA_HOME="$home" PATH="$home/bin:$PATH"
      return 0
    fi
  done
  echo "mcp-gateway needs a JDK 25 or newer (GraalJS, Code Mode's sandbox); found:${seen:- none}." >&2
  echo "Install one (e.g. Temurin 25) and set JAVA_HOME to it." >&2
  return 1
}
select_jdk
