package io.pgcopydb.internal.compare;

import io.pgcopydb.filter.Filters;
import io.pgcopydb.internal.catalog.CatalogGraph.Relation;
import io.pgcopydb.internal.filter.FilterPlan;
import io.pgcopydb.internal.filter.Selection;
import io.pgcopydb.model.QualifiedName;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * What a comparison looks at: what a copy with the same filter creates on the target, by name (OIDs differ between
 * the two databases). Without a filter, everything outside the system schemas and extensions. Immutable.
 */
public final class CompareScope {
    private final Optional<FilterPlan> filter;
    private final Set<QualifiedName> skippedRelations;
    private final Set<QualifiedName> dataExcluded;

    private final Set<String> schemasCreated;
    private final Set<String> schemasSelected;

    private CompareScope(Optional<FilterPlan> filter) {
        this.filter = filter;
        this.skippedRelations = new HashSet<>();
        this.dataExcluded = new HashSet<>();
        this.schemasCreated = filter.map(f -> f.selection().schemasToCreate()).orElse(Set.of());
        this.schemasSelected = filter.map(f -> f.selection().selectedSchemas()).orElse(Set.of());
        filter.ifPresent(f -> {
            Selection s = f.selection();
            for (Relation r : f.relations()) {
                QualifiedName name = new QualifiedName(r.schema(), r.name());
                boolean tableSkipped = r.isTableLike() && !s.decision(r.oid()).selected();
                // Outside the selected schemas only the sequences the filter keeps are created (#390).
                boolean outside = !s.selectedSchemas().contains(r.schema())
                        && !(r.kind() == Relation.Kind.SEQUENCE && s.sequencesToReset().contains(r.oid()));
                if (tableSkipped || outside || s.commentedOut().contains(r.ref())) {
                    skippedRelations.add(name);
                } else if (r.isTableLike() && s.decision(r.oid()) == Selection.TableDecision.SCHEMA_ONLY) {
                    dataExcluded.add(name);
                }
            }
        });
    }

    /** Everything. */
    public static CompareScope everything() {
        return new CompareScope(Optional.empty());
    }

    /**
     * What {@code filters} select, resolved on the source through {@code source} (a session reading one
     * snapshot), as a copy resolves it; foreign keys to rows that are not copied are expected {@code NOT VALID}.
     *
     * @throws io.pgcopydb.PgCopyException ({@code FILTER_REFUSED}) when a copy would refuse the filter
     */
    public static CompareScope of(Connection source, Filters filters) throws SQLException {
        return filters.isEmpty() ? everything() : new CompareScope(Optional.of(FilterPlan.resolve(source, filters,
                true)));
    }

    /** Whether the schema {@code schema} itself (owner, ACL, comment) is compared: the copy creates it. */
    public boolean schemaCreated(String schema) {
        return filter.isEmpty() || schemasCreated.contains(schema);
    }

    /** Whether the objects of {@code schema} (functions, types, tables…) are compared: the copy creates them. */
    public boolean schemaIncluded(String schema) {
        return filter.isEmpty() || schemasSelected.contains(schema);
    }

    /**
     * Whether the relation (table, view, sequence, index…) {@code schema.name} is compared. Relations the source
     * does not have are (they are extra on the target) when their schema is.
     */
    public boolean relationIncluded(String schema, String name) {
        return schemaCreated(schema) && !skippedRelations.contains(new QualifiedName(schema, name));
    }

    /** Whether the rows of table {@code schema.name} are compared (it is included and its data was copied). */
    public boolean dataIncluded(String schema, String name) {
        return relationIncluded(schema, name) && !dataExcluded.contains(new QualifiedName(schema, name));
    }

    /** Whether extension {@code name} is compared. */
    public boolean extensionIncluded(String name) {
        return filter.map(f -> f.extensionKept(name)).orElse(true);
    }
}
