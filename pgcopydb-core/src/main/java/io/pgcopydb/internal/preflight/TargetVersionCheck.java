package io.pgcopydb.internal.preflight;

import io.pgcopydb.ErrorCode;
import io.pgcopydb.Problem;
import io.pgcopydb.Versions;
import io.pgcopydb.model.Side;
import java.util.ArrayList;
import java.util.List;

/**
 * What a downgrade cannot carry: the source's objects that use a feature newer than the target's major version.
 * A pure function of what {@link SourceFeatures} read and the target's major version, so every pair of versions
 * can be checked without a server of each.
 */
final class TargetVersionCheck {
    private TargetVersionCheck() {
    }

    /**
     * One source object using a feature that appeared in PostgreSQL {@code since}.
     *
     * @param object the object, as a message names it ({@code index public.t_a_key})
     * @param feature what it uses ({@code NULLS NOT DISTINCT})
     * @param since the first major version that can hold it
     * @param remedy what to change on the source to copy it to an older server
     */
    record NewerFeature(String object, String feature, int since, String remedy) {
    }

    /**
     * The warnings of a pair of versions: client tools older than the target (they restore into it, but do not
     * know it), and a downgrade (pg_dump writes for its own version, whatever the target's).
     *
     * @param v the servers' versions and the client tools'
     * @return the warnings, each a line starting {@code preflight: }
     */
    static List<String> warnings(Versions v) {
        List<String> out = new ArrayList<>();
        if (v.clientToolsMajor() < v.targetMajor()) {
            out.add("preflight: pg_dump/pg_restore " + v.clientTools() + " are older than the target server "
                    + "(PostgreSQL " + v.target() + "): the restore usually works, but install PostgreSQL "
                    + v.targetMajor() + "'s client tools and set PG_CONFIG or clientTools(dir) to use tools that "
                    + "know the target");
        }
        if (v.downgrade()) {
            out.add("preflight: downgrade from PostgreSQL " + v.source() + " to " + v.target() + ": pg_dump "
                    + v.clientToolsMajor() + " writes its output for its own version, not the target's; objects the "
                    + "catalog shows the target cannot hold are refused now, anything else fails the restore");
        }
        return out;
    }

    /**
     * A {@link ErrorCode#TARGET_TOO_OLD} problem for each object the target cannot hold, in the order given.
     *
     * @param features what the source uses
     * @param targetMajor the target's major version
     * @return the problems, empty when the target holds everything
     */
    static List<Problem> problems(List<NewerFeature> features, int targetMajor) {
        return features.stream().filter(f -> f.since() > targetMajor)
                .map(f -> Problem.of(ErrorCode.TARGET_TOO_OLD, f.object() + " uses " + f.feature() + ", which the "
                        + "target (PostgreSQL " + targetMajor + ") cannot hold: it needs PostgreSQL " + f.since(),
                        f.remedy() + ", or copy into PostgreSQL " + f.since() + " or newer")
                        .withSide(Side.TARGET).withObject(f.object()))
                .toList();
    }
}
