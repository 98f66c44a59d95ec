#!/bin/sh
# pgcopydb: this shell script is followed by the tool's executable jar, so `./pgcopydb clone …` and
# `java -jar pgcopydb …` both run it. The script adds JVM settings for a short-lived copier, each measured with the
# repository's `bench` command on a 1.5 GB copy (the JVM's user + system CPU seconds):
#   -XX:TieredStopAtLevel=1  only the quick compiler: a copy's hot loop is memory copies and socket I/O, which the
#                            optimising compiler does not speed up, and its compilations cost a second of CPU;
#   -XX:CompileThresholdScaling=10  compile a method after 10x the calls: a copy runs most of its code a few hundred
#                            times (sessions, catalog reads, the command line) and compiling all of it, 1,500 methods,
#                            took 0.3 s of CPU; now ~430 methods, 0.09 s, the pump among them. Whole 1.5 GB copy:
#                            0.05-0.15 s less CPU, same wall clock; an empty database's copy 0.06 s less, ~30 ms later;
#   CompileThresholdScaling 0.1 for the pump's path (its loop, pgjdbc's buffers, the JDK's socket reads and writes):
#                            called once per buffer, not per row, those methods ran interpreted for most of a big
#                            table at 10x; compiled early, a 640 MB table's copy took ~0.08 s less CPU (user 0.17 vs
#                            0.26 s), the 1.5 GB copy ~0.06 s less (median of 8 interleaved rounds, 1.59 vs 1.65 s);
#   -XX:+UseSerialGC         one collector thread: the heap stays small and flat, nothing to collect in parallel;
#   class-data sharing       an archive of the JDK's and this tool's classes, made from the classes the first copy,
#                            compare or demo loaded, in the background once it returned, into ~/.cache/pgcopydb
#                            (PGCOPYDB_CDS=off: never).
#                            A static archive (-Xshare:dump), not a dynamic one: JDK 17's dynamic archive leaves out
#                            classes compiled for Java 5 such as picocli's 170, read and verified at every start.
# PGCOPYDB_JAVA_OPTS adds settings (e.g. -Xmx256m); JAVA_HOME picks the java to run.
self=$0
case $self in */*) ;; *) self=$(command -v -- "$self") ;; esac
java=java
[ -n "$JAVA_HOME" ] && java=$JAVA_HOME/bin/java
set -- -XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=10 -XX:CompileCommand=quiet \
    '-XX:CompileCommand=CompileThresholdScaling,io.pgcopydb.internal.data.CopyForward*::*,0.1' \
    '-XX:CompileCommand=CompileThresholdScaling,io.pgcopydb.internal.data.DefaultCopyStreamer::*,0.1' \
    '-XX:CompileCommand=CompileThresholdScaling,io.pgcopydb.internal.postgres.SocketInput::*,0.1' \
    '-XX:CompileCommand=CompileThresholdScaling,org.postgresql.core.VisibleBufferedInputStream::*,0.1' \
    '-XX:CompileCommand=CompileThresholdScaling,org.postgresql.core.PGStream::*,0.1' \
    '-XX:CompileCommand=CompileThresholdScaling,org.postgresql.util.internal.PgBufferedOutputStream::*,0.1' \
    '-XX:CompileCommand=CompileThresholdScaling,java.net.Socket$SocketInputStream::*,0.1' \
    '-XX:CompileCommand=CompileThresholdScaling,java.net.Socket$SocketOutputStream::*,0.1' \
    '-XX:CompileCommand=CompileThresholdScaling,sun.nio.ch.NioSocketImpl::*,0.1' \
    '-XX:CompileCommand=CompileThresholdScaling,sun.nio.ch.SocketDispatcher::*,0.1' \
    -XX:+UseSerialGC -XX:-UsePerfData -Xlog:cds=off,cds+dynamic=off,class+path=off \
    $PGCOPYDB_JAVA_OPTS -jar "$self" "$@"
# A JVM with an agent or a flight recording (both hook class loading) crashes on an archive of the tool's classes,
# dynamic (JDK 17: SIGSEGV in KlassFactory::check_shared_class_file_load_hook) or static as ours (a flight recording
# aborts it): such a run uses the JDK's archive only.
cds=${PGCOPYDB_CDS:-on}
case " $PGCOPYDB_JAVA_OPTS " in
*-javaagent* | *-agentlib* | *-agentpath* | *StartFlightRecording* | *FlightRecorder*) cds=off ;;
esac
# One archive per build of the tool and of the JDK (an archive of another JDK would be refused, silently).
if [ "$cds" != off ] && key=$(stat -c %s-%Y "$self" 2>/dev/null) \
    && jvm=$(stat -L -c %s-%Y "$(command -v -- "$java")" 2>/dev/null); then
    key=$key-$jvm
    cache=${XDG_CACHE_HOME:-$HOME/.cache}/pgcopydb
    jsa=$cache/classes-$key.jsa
    none=$cache/classes-$key.none
    if [ -r "$jsa" ]; then
        exec "$java" -XX:SharedArchiveFile="$jsa" "$@"
    fi
    # A JDK that could not write the archive once is not asked again (a try costs seconds): its own archive only.
    [ -e "$none" ] && exec "$java" "$@"
    # Written from the classes a successful clone, copy, compare or demo loaded — in the background, once that run
    # has returned: writing it takes ~2 s, which a first run (every run where the cache does not last, as in a
    # fresh container) would otherwise add to its own time. One writer per build at a time: the lock is a
    # directory; one older than 10 minutes is a writer that was killed.
    case " $* " in
    *" --help "* | *" -h "* | *" --version "* | *" -V "*) ;;
    *" clone "* | *" fork "* | *" copy "* | *" compare "* | *" demo "*)
        lock=$cache/classes-$key.lock
        if mkdir -p "$cache" 2>/dev/null && [ -w "$cache" ] && {
            find "$lock" -maxdepth 0 -mmin +10 -exec rmdir {} \; 2>/dev/null
            mkdir "$lock" 2>/dev/null
        }; then
            # Written under names of their own, then renamed: a reader never maps a half-written file.
            tmp=$jsa.$$
            list=$cache/classes-$key.$$.list
            trap 'rm -f "$tmp" "$list"; rmdir "$lock" 2>/dev/null' EXIT
            trap : INT TERM
            "$java" -XX:DumpLoadedClassList="$list" "$@"
            rc=$?
            if [ $rc -eq 0 ] && [ -s "$list" ]; then
                trap - EXIT
                # Its own standard streams: a caller reading the run's output gets its end when the run ends.
                (
                    trap 'rm -f "$tmp" "$list"; rmdir "$lock" 2>/dev/null' EXIT
                    trap 'exit 1' HUP TERM
                    # The archive's class path must be the one the runs use: this file, as -jar gives it.
                    if ! { "$java" -Xshare:dump -XX:SharedClassListFile="$list" -XX:SharedArchiveFile="$tmp" \
                        -cp "$self" -Xlog:cds=off -Xlog:cds+dynamic=off && [ -s "$tmp" ] && mv -f "$tmp" "$jsa"; }
                    then
                        : >"$none"
                    fi
                    # One archive (or refusal) per build of the tool and JDK: keep the three newest.
                    ls -t "$cache"/classes-*.jsa "$cache"/classes-*.none 2>/dev/null | tail -n +4 \
                        | while read -r old; do rm -f "$old"; done
                ) </dev/null >/dev/null 2>&1 &
            fi
            exit $rc
        fi
        ;;
    esac
fi
exec "$java" "$@"
