package io.pgcopydb.cli;

import io.pgcopydb.CopyReport;
import java.io.PrintWriter;

/**
 * Prints a report as pgcopydb does at the end of {@code clone}: the versions line (servers and client tools), the
 * per-table table, then the step table.
 */
public final class ReportPrinter {
    private ReportPrinter() {
    }

    /**
     * Writes the versions line and both summary tables to {@code out} and flushes it.
     *
     * @param report the finished copy's report
     * @param out where to write, usually standard output
     */
    public static void print(CopyReport report, PrintWriter out) {
        if (!report.versionsLine().isEmpty()) {
            out.println(report.versionsLine());
            out.println();
        }
        out.println(report.summaryTable());
        out.println();
        out.println(report.stepTable());
        out.flush();
    }

    /**
     * Writes the report as one JSON object ({@link CopyReport#toJson()}) on one line, and flushes.
     *
     * @param report the copy's report, finished or partial
     * @param out where to write, usually standard output
     */
    public static void printJson(CopyReport report, PrintWriter out) {
        out.println(report.toJson());
        out.flush();
    }
}
