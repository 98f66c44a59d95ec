package io.pgcopydb;

import io.pgcopydb.stage.ConstraintAttacher;
import io.pgcopydb.stage.CopyStreamer;
import io.pgcopydb.stage.IndexBuilder;
import io.pgcopydb.stage.PostDataFilter;
import io.pgcopydb.stage.SchemaDumper;
import io.pgcopydb.stage.TablePlanner;
import java.util.ArrayList;
import java.util.List;

/**
 * Which options a file copy of the whole database ({@link Strategy#TEMPLATE}) cannot honour: it copies every object,
 * owner, privilege and comment as they are, and runs none of the stages. Pure.
 */
final class TemplateSafety {
    private TemplateSafety() {
    }

    /** The API names of the options {@code o} asks that the template path would ignore, joined; empty if none. */
    static String refusal(CopyOptions o) {
        List<String> asked = new ArrayList<>();
        add(asked, !o.filters().isEmpty(), "filter(…)");
        add(asked, o.noOwner(), "noOwner()");
        add(asked, o.noAcl(), "noAcl()");
        add(asked, o.noComments(), "noComments()");
        add(asked, o.roles(), "roles()");
        add(asked, o.skipExtensions(), "skipExtensions()");
        add(asked, o.skipExtensionComments(), "skipExtensionComments()");
        add(asked, o.skipCollations(), "skipCollations()");
        add(asked, o.skipDbProperties(), "skipDbProperties()");
        add(asked, o.skipLargeObjects(), "skipLargeObjects()");
        add(asked, o.resume(), "resume()");
        add(asked, o.snapshot().isPresent(), "snapshot(id)");
        add(asked, o.steps().isPresent(), "steps(…)");
        add(asked, replaced(o), "a replaced stage");
        return String.join(", ", asked);
    }

    private static boolean replaced(CopyOptions o) {
        return o.schemaDumper().getClass() != SchemaDumper.standard().getClass()
                || o.tablePlanner().getClass() != TablePlanner.standard().getClass()
                || o.copyStreamer().getClass() != CopyStreamer.standard().getClass()
                || o.indexBuilder().getClass() != IndexBuilder.standard().getClass()
                || o.constraintAttacher().getClass() != ConstraintAttacher.standard().getClass()
                || o.postDataFilter().getClass() != PostDataFilter.standard().getClass();
    }

    private static void add(List<String> asked, boolean when, String name) {
        if (when) {
            asked.add(name);
        }
    }
}
