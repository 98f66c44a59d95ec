#!/bin/sh
# pgcopydb: this shell script is followed by the tool's executable jar, so `./pgcopydb clone …` and
# `java -jar pgcopydb …` both run it. The script adds JVM settings for a short-lived copier, each measured with the
# repository's `bench` command on a 1.5 GB copy (the JVM's user + system CPU seconds):
#   -XX:TieredStopAtLevel=1  only the quick compiler: a copy's hot loop is memory copies and socket I/O, which the
#                            optimising compiler does not speed up, and its compilations cost a second of CPU;
#   -XX:+UseSerialGC         one collector thread: the heap stays small and flat, nothing to collect in parallel;
#   class-data sharing       the JDK's own archive, plus one of this tool's classes written by the first copy,
#                            compare or demo into ~/.cache/pgcopydb (PGCOPYDB_CDS=off: never).
# PGCOPYDB_JAVA_OPTS adds settings (e.g. -Xmx256m); JAVA_HOME picks the java to run.
self=$0
case $self in */*) ;; *) self=$(command -v -- "$self") ;; esac
java=java
[ -n "$JAVA_HOME" ] && java=$JAVA_HOME/bin/java
set -- -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xlog:cds=off,cds+dynamic=off,class+path=off \
    $PGCOPYDB_JAVA_OPTS -jar "$self" "$@"
# A JVM with an agent or a flight recording (both hook class loading) crashes on a dynamic archive (JDK 17:
# SIGSEGV in KlassFactory::check_shared_class_file_load_hook): such a run uses the JDK's archive only.
cds=${PGCOPYDB_CDS:-on}
case " $PGCOPYDB_JAVA_OPTS " in
*-javaagent* | *-agentlib* | *-agentpath* | *StartFlightRecording* | *FlightRecorder*) cds=off ;;
esac
if [ "$cds" != off ] && key=$(stat -c %s-%Y "$self" 2>/dev/null); then
    cache=${XDG_CACHE_HOME:-$HOME/.cache}/pgcopydb
    jsa=$cache/classes-$key.jsa
    if [ -r "$jsa" ]; then
        exec "$java" -XX:SharedArchiveFile="$jsa" "$@"
    fi
    # Written by a run that loads the classes a copy needs, and kept only when it succeeded.
    case " $* " in
    *" --help "* | *" -h "* | *" --version "* | *" -V "*) ;;
    *" clone "* | *" fork "* | *" copy "* | *" compare "* | *" demo "*)
        if mkdir -p "$cache" 2>/dev/null && [ -w "$cache" ]; then
            # Written under a name of its own, then renamed: two first runs at once never share a half-written file.
            tmp=$jsa.$$
            trap 'rm -f "$tmp"' EXIT
            trap : INT TERM
            "$java" -XX:ArchiveClassesAtExit="$tmp" "$@"
            rc=$?
            if [ $rc -eq 0 ] && [ -s "$tmp" ] && mv -f "$tmp" "$jsa"; then
                # One archive per build of the tool: keep the three newest.
                ls -t "$cache"/classes-*.jsa 2>/dev/null | tail -n +4 | while read -r old; do rm -f "$old"; done
            fi
            exit $rc
        fi
        ;;
    esac
fi
exec "$java" "$@"
