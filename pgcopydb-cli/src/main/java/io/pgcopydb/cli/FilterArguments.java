package io.pgcopydb.cli;

import io.pgcopydb.filter.FilterFile;
import io.pgcopydb.filter.Filters;
import java.io.IOException;
import java.nio.file.Path;

/** Reads {@code --filters FILE} (pgcopydb's ini format); a bad file is a usage error naming the line. */
final class FilterArguments {
    private FilterArguments() {
    }

    /** The filter in {@code file}, or {@link Filters#none()} when no file was given. */
    static Filters read(Path file) {
        if (file == null) {
            return Filters.none();
        }
        try {
            return FilterFile.read(file);
        } catch (IOException e) {
            throw new UsageException("--filters " + file + ": cannot read the file: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new UsageException("--filters " + e.getMessage());
        }
    }
}
