package io.pgcopydb.internal.engine;

import io.pgcopydb.CopyOptions;
import io.pgcopydb.compare.Ignore;
import io.pgcopydb.internal.compare.CompareRequest;
import io.pgcopydb.model.SequenceValue;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The comparison {@code verify()} runs after a copy: schema and data within the copy's filter, the source read in
 * the copy's snapshot and its sequences as the copy read them, leaving out what the copy's options did not copy.
 */
final class VerifyRequest {
    private VerifyRequest() {
    }

    /**
     * The request for a copy with {@code options}.
     *
     * @param options the copy's options
     * @param snapshot the source snapshot the copy read, when it still holds one
     * @param sequences the source's sequence values the copy gave the target
     * @return what to compare
     */
    static CompareRequest of(CopyOptions options, Optional<String> snapshot, List<SequenceValue> sequences) {
        return new CompareRequest(options.source(), options.target(), options.filters(), ignored(options),
                options.jobs(), true, true, snapshot, Optional.of(sequences), options.clientTools());
    }

    /** What the copy's options leave out on purpose, which its verification must not call a difference. */
    static Set<Ignore> ignored(CopyOptions options) {
        Set<Ignore> ignored = EnumSet.noneOf(Ignore.class);
        if (options.noOwner()) {
            ignored.add(Ignore.OWNERS);
        }
        if (options.noAcl()) {
            ignored.add(Ignore.ACLS);
        }
        if (options.noComments()) {
            ignored.add(Ignore.COMMENTS);
        }
        if (options.skipExtensionComments()) {
            ignored.add(Ignore.EXTENSION_COMMENTS);
        }
        if (options.skipExtensions()) {
            ignored.add(Ignore.EXTENSIONS);
        }
        if (options.skipCollations()) {
            ignored.add(Ignore.COLLATIONS);
        }
        if (options.skipDbProperties()) {
            ignored.add(Ignore.DATABASE_SETTINGS);
        }
        if (options.skipLargeObjects()) {
            ignored.add(Ignore.LARGE_OBJECTS);
        }
        return ignored;
    }
}
