package io.pgcopydb.cli;

import io.pgcopydb.compare.Ignore;
import java.util.EnumSet;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * {@code compare}'s flags for what a copy left out on purpose, named as {@code clone}'s flags that left it out:
 * after {@code clone --no-owner}, {@code compare schema --no-owner} does not report the owners.
 */
final class IgnoreOptions {
    @Option(names = "--no-owner", order = 20, description = "Do not compare owners (the copy used --no-owner).")
    private boolean noOwner;

    @Option(names = "--no-acl", order = 21, description = "Do not compare privileges (the copy used --no-acl).")
    private boolean noAcl;

    @Option(names = "--no-comments", order = 22, description = "Do not compare comments.")
    private boolean noComments;

    @Option(names = {"--skip-ext-comments", "--skip-ext-comment"}, order = 23,
            description = "Do not compare extensions' comments.")
    private boolean skipExtensionComments;

    @Option(names = "--skip-extensions", order = 24, description = "Do not compare extensions.")
    private boolean skipExtensions;

    @Option(names = "--skip-collations", order = 25, description = "Do not compare collations.")
    private boolean skipCollations;

    @Option(names = "--skip-db-properties", order = 26,
            description = "Do not compare ALTER DATABASE/ROLE … SET settings.")
    private boolean skipDbProperties;

    @Option(names = "--skip-large-objects", order = 27, description = "Do not compare large objects.")
    private boolean skipLargeObjects;

    /** What the flags leave out of the comparison. */
    Set<Ignore> ignored() {
        Set<Ignore> ignored = EnumSet.noneOf(Ignore.class);
        add(ignored, noOwner, Ignore.OWNERS);
        add(ignored, noAcl, Ignore.ACLS);
        add(ignored, noComments, Ignore.COMMENTS);
        add(ignored, skipExtensionComments, Ignore.EXTENSION_COMMENTS);
        add(ignored, skipExtensions, Ignore.EXTENSIONS);
        add(ignored, skipCollations, Ignore.COLLATIONS);
        add(ignored, skipDbProperties, Ignore.DATABASE_SETTINGS);
        add(ignored, skipLargeObjects, Ignore.LARGE_OBJECTS);
        return ignored;
    }

    private static void add(Set<Ignore> ignored, boolean flag, Ignore what) {
        if (flag) {
            ignored.add(what);
        }
    }
}
