package io.pgcopydb.internal.data;

import io.pgcopydb.internal.data.BinaryCompatibility.Choice;
import io.pgcopydb.internal.postgres.Errors;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses each table's COPY format once per run, at the start of the data step, when the target's tables exist:
 * with {@code useCopyBinary()}, from one catalog query per side ({@link ColumnTypes}) and the rules of
 * {@link BinaryCompatibility}; without it, text for every table and no query. Every table's format (and why a
 * table stays in text) goes into the report; each table kept in text is logged once at INFO, naming the column,
 * its type and why — or one line for all when the servers themselves differ.
 */
public final class CopyFormats {
    private static final Logger LOG = LoggerFactory.getLogger(CopyFormats.class);

    private CopyFormats() {
    }

    /** {@code context} with the formats of {@code plan}'s tables, recorded in the run's report. */
    public static RunContext choose(RunContext context, CopyPlan plan) {
        if (!context.useCopyBinary()) {
            return context;
        }
        List<SourceTable> tables = plan.tables();
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
        try (Connection source = context.openSource(); Connection target = context.openTarget()) {
            return BinaryCompatibility.decide(tables, ColumnTypes.read(source), ColumnTypes.read(target));
        } catch (SQLException e) {
            String reason = "the column types could not be read to choose binary: " + Errors.message(e);
            context.warn("COPY in text for every table: " + reason);
            Map<Long, Choice> text = new HashMap<>();
            tables.forEach(t -> text.put(t.oid(), Choice.text(reason)));
            return text;
        }
    }
}
