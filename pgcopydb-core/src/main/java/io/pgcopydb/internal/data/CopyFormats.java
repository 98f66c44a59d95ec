package io.pgcopydb.internal.data;

import io.pgcopydb.internal.data.BinaryCompatibility.Choice;
import io.pgcopydb.internal.postgres.Errors;
import io.pgcopydb.internal.run.Futures;
import io.pgcopydb.internal.run.ReportCollector;
import io.pgcopydb.internal.run.RunContext;
import io.pgcopydb.model.CopyFormat;
import io.pgcopydb.model.CopyPlan;
import io.pgcopydb.model.SourceTable;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses each table's COPY format once per run, at the start of the data step, when the target's tables exist:
 * for binary (asked for, or the default from 64 MB of tables), from one catalog query per side
 * ({@link ColumnTypes}) and the rules of {@link BinaryCompatibility}; otherwise text for every table and no query.
 * Every table's format (and why a table stays in text) goes into the report; each table kept in text is logged
 * once at INFO, naming the column, its type and why — or one line for all when the servers themselves differ.
 */
public final class CopyFormats {
    private static final Logger LOG = LoggerFactory.getLogger(CopyFormats.class);

    /** Tables totalling this many bytes move in binary by default; below, in text unless binary was asked for. */
    static final long BINARY_FROM_BYTES = 64L << 20;

    private CopyFormats() {
    }

    /**
     * Whether to choose binary per table: always when binary was {@code asked} for, else when the tables to copy
     * total {@code bytes} of at least {@link #BINARY_FROM_BYTES} — the choice costs a catalog query on each side
     * (~90 ms for pagila), more than binary saves on a small copy (a fixture's clone, say).
     */
    static boolean worthChoosing(boolean asked, long bytes) {
        return asked || bytes >= BINARY_FROM_BYTES;
    }

    /** {@code context} with the formats of {@code plan}'s tables, recorded in the run's report. */
    public static RunContext choose(RunContext context, CopyPlan plan) {
        if (!context.useCopyBinary()) {
            return context;
        }
        List<SourceTable> tables = plan.tables();
        long bytes = tables.stream().mapToLong(SourceTable::bytes).sum();
        if (!worthChoosing(context.options().copyFormatAsked().isPresent(), bytes)) {
            LOG.info("COPY in text: the tables to copy total {} bytes, under the {} MB from which binary pays for "
                    + "its catalog check (useCopyBinary() / --use-copy-binary asks for it)", bytes,
                    BINARY_FROM_BYTES >> 20);
            return context;
        }
        Map<Long, Choice> choices = decide(context, tables);
        ReportCollector report = context.run().report();
        Map<Long, CopyFormat> formats = new HashMap<>();
        Map<String, Integer> sharedReasons = new LinkedHashMap<>();
        for (SourceTable table : tables) {
            Choice choice = choices.get(table.oid());
            report.copyFormat(table.oid(), choice.format(), choice.reason());
            if (choice.format() == CopyFormat.BINARY) {
                formats.put(table.oid(), CopyFormat.BINARY);
            } else if (choice.reason().filter(r -> r.startsWith("column ")).isPresent()) {
                LOG.info("{}: COPY in text, not binary: {}", table.name(), choice.reason().get());
            } else {
                sharedReasons.merge(choice.reason().orElse(""), 1, Integer::sum);
            }
        }
        sharedReasons.forEach((reason, count) -> LOG.info("COPY in text, not binary, for {} table(s): {}", count,
                reason));
        LOG.info("COPY format: binary for {} of {} table(s), text for the others", formats.size(), tables.size());
        return context.withCopyFormats(formats);
    }

    /** Each table's choice; text for all, with a warning, when either catalog cannot be read. */
    private static Map<Long, Choice> decide(RunContext context, List<SourceTable> tables) {
        // The two sides at once: each is a new session and a catalog query, and the copy waits for both.
        CompletableFuture<BinaryCompatibility.Server> targetTypes = Futures.supply(
                r -> context.run().threads().start("types", r), () -> {
                    try (Connection target = context.openTarget()) {
                        return ColumnTypes.read(target);
                    }
                });
        try (Connection source = context.openSource()) {
            BinaryCompatibility.Server sourceTypes = ColumnTypes.read(source);
            return BinaryCompatibility.decide(tables, sourceTypes, Futures.join(targetTypes, SQLException.class));
        } catch (SQLException e) {
            String reason = "the column types could not be read to choose binary: " + Errors.message(e);
            context.warn("COPY in text for every table: " + reason);
            Map<Long, Choice> text = new HashMap<>();
            tables.forEach(t -> text.put(t.oid(), Choice.text(reason)));
            return text;
        }
    }
}
