package io.pgcopydb.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.MDC;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.event.LoggingEvent;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.simple.SimpleLogger;
import org.slf4j.simple.SimpleLoggerFactory;
import org.slf4j.simple.SimpleServiceProvider;
import org.slf4j.spi.MDCAdapter;

/**
 * slf4j-simple writing each log line on standard error as one JSON object ({@code PGCOPYDB_LOG_JSON=true}):
 * {@code {"time":…,"level":"INFO","thread":…,"logger":…,"run_id":…,"message":…}}, with {@code "exception"} (and,
 * at DEBUG, {@code "stack_trace"}) when the line carries one. Which loggers log at which level stays slf4j-simple's
 * (its {@code org.slf4j.simpleLogger.*} properties, set by {@link Logging}); only the line's form changes, so a
 * multi-line message (the summary tables) stays one line of JSON. {@code run_id} is the MDC's {@code pgcopydb.run},
 * which the library sets on every thread of a run. Messages are masked ({@link Secrets}) once more: the library logs
 * no password, and this keeps it so for whatever else logs.
 *
 * <p>Selected by {@link Logging#configure} through SLF4J's {@code slf4j.provider} system property, before the first
 * logger exists. Thread-safe: a line is written whole by one {@code println}.
 */
public final class JsonLogProvider extends SimpleServiceProvider {
    private ILoggerFactory factory;
    /** slf4j-simple's own adapter drops the MDC; the run id must stay. */
    private final MDCAdapter mdc = new BasicMDCAdapter();

    /** The provider SLF4J instantiates. */
    public JsonLogProvider() {
        super();
    }

    @Override
    public void initialize() {
        super.initialize();
        factory = new Factory();
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return factory;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    /** slf4j-simple's factory, making {@link JsonLogger}s. */
    private static final class Factory extends SimpleLoggerFactory {
        @Override
        protected Logger createLogger(String name) {
            return new JsonLogger(name);
        }
    }

    /** slf4j-simple's logger (levels and all), writing JSON instead of text. */
    private static final class JsonLogger extends SimpleLogger {
        private static final long serialVersionUID = 1L;

        JsonLogger(String name) {
            super(name);
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
                Throwable throwable) {
            String message = MessageFormatter.basicArrayFormat(pattern, arguments);
            System.err.println(line(level.name(), getName(), message, throwable));
        }

        @Override
        public void log(LoggingEvent event) {
            if (isLevelEnabled(event.getLevel().toInt())) {
                handleNormalizedLoggingCall(event.getLevel(), null, event.getMessage(), event.getArgumentArray(),
                        event.getThrowable());
            }
        }
    }

    /**
     * One log line as a JSON object, on the calling thread (its name and MDC run id).
     *
     * @param level e.g. {@code INFO}
     * @param logger the logger's name
     * @param message the formatted message, masked here
     * @param throwable what the line carries, or null
     * @return the object, on one line
     */
    static String line(String level, String logger, String message, Throwable throwable) {
        StringBuilder sb = new StringBuilder("{");
        field(sb, "time", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString()).append(',');
        field(sb, "level", level).append(',');
        field(sb, "thread", Thread.currentThread().getName()).append(',');
        field(sb, "logger", logger).append(',');
        String run = MDC.get("pgcopydb.run");
        if (run != null) {
            field(sb, "run_id", run).append(',');
        }
        field(sb, "message", Secrets.mask(message));
        if (throwable != null) {
            field(sb.append(','), "exception", Secrets.mask(throwable.toString()));
            if (Logging.current().level() == Logging.Level.DEBUG) {
                StringWriter trace = new StringWriter();
                throwable.printStackTrace(new PrintWriter(trace));
                field(sb.append(','), "stack_trace", Secrets.mask(trace.toString()));
            }
        }
        return sb.append('}').toString();
    }

    private static StringBuilder field(StringBuilder sb, String name, String value) {
        return quote(quote(sb, name).append(':'), value == null ? "" : value);
    }

    /** Appends {@code s} as a JSON string. */
    static StringBuilder quote(StringBuilder sb, String s) {
        return CliJson.append(sb, s);
    }
}
