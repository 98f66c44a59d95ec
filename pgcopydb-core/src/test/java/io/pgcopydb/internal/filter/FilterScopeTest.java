package io.pgcopydb.internal.filter;

import static io.pgcopydb.internal.filter.Selection.TableDecision.COPY;
import static io.pgcopydb.internal.filter.Selection.TableDecision.SCHEMA_ONLY;
import static io.pgcopydb.internal.filter.Selection.TableDecision.SKIP;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.filter.FilterFile;
import io.pgcopydb.filter.FilterFileExamples;
import io.pgcopydb.filter.Filters;
import io.pgcopydb.internal.catalog.CatalogGraph.Constraint;
import io.pgcopydb.internal.catalog.CatalogGraph.Dependency;
import io.pgcopydb.internal.catalog.CatalogGraph.Extension;
import io.pgcopydb.internal.catalog.CatalogGraph.Namespace;
import io.pgcopydb.internal.catalog.CatalogGraph.ObjectRef;
import io.pgcopydb.internal.catalog.CatalogGraph.Relation.Kind;
import io.pgcopydb.internal.catalog.CatalogGraph.Relation;
import io.pgcopydb.internal.catalog.CatalogGraph.SequenceDefault;
import io.pgcopydb.internal.catalog.CatalogGraph.SequenceOwner;
import io.pgcopydb.internal.catalog.CatalogGraph;
import io.pgcopydb.internal.filter.Selection.Problem.Severity;
import io.pgcopydb.internal.filter.Selection.Problem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class FilterScopeTest {

    // ------------------------------------------------------------------------------------------------
    // A catalog built by hand
    // ------------------------------------------------------------------------------------------------

    /** Builds a {@link CatalogGraph} by name; {@code oid("public.t")} finds an object again. */
    static final class Catalog {
        private long next = 16384;
        final List<Namespace> schemas = new ArrayList<>();
        final List<Relation> relations = new ArrayList<>();
        final List<Constraint> constraints = new ArrayList<>();
        final List<SequenceOwner> owners = new ArrayList<>();
        final List<SequenceDefault> defaults = new ArrayList<>();
        final List<Extension> extensions = new ArrayList<>();
        final List<Dependency> dependencies = new ArrayList<>();
        private final Map<String, Long> byName = new LinkedHashMap<>();

        void schema(String name) {
            if (schemas.stream().noneMatch(n -> n.name().equals(name))) {
                schemas.add(new Namespace(next++, name));
            }
        }

        private long rel(String qualified, Kind kind, long table, long parent) {
            int dot = qualified.indexOf('.');
            String schema = qualified.substring(0, dot);
            schema(schema);
            long oid = next++;
            relations.add(new Relation(oid, schema, qualified.substring(dot + 1), kind, table, parent));
            byName.put(qualified, oid);
            return oid;
        }

        long table(String q) {
            return rel(q, Kind.TABLE, 0, 0);
        }

        long partitioned(String q) {
            return rel(q, Kind.PARTITIONED_TABLE, 0, 0);
        }

        long partition(String q, long parent) {
            return rel(q, Kind.TABLE, 0, parent);
        }

        long subPartitioned(String q, long parent) {
            return rel(q, Kind.PARTITIONED_TABLE, 0, parent);
        }

        long matview(String q, long... on) {
            long oid = rel(q, Kind.MATERIALIZED_VIEW, 0, 0);
            for (long t : on) {
                depends(oid, t);
            }
            return oid;
        }

        long view(String q, long... on) {
            long oid = rel(q, Kind.VIEW, 0, 0);
            for (long t : on) {
                depends(oid, t);
            }
            return oid;
        }

        long foreignTable(String q) {
            return rel(q, Kind.FOREIGN_TABLE, 0, 0);
        }

        long index(String q, long table) {
            return rel(q, Kind.INDEX, table, 0);
        }

        long partitionedIndex(String q, long table) {
            return rel(q, Kind.PARTITIONED_INDEX, table, 0);
        }

        long sequence(String q) {
            return rel(q, Kind.SEQUENCE, 0, 0);
        }

        /**
         * A serial column: a sequence owned by {@code table} and a default of {@code table} using it. Like
         * pg_depend, the dependencies also hold the ownership edge (deptype {@code a}).
         */
        long serial(String seq, long table) {
            long oid = sequence(seq);
            owners.add(new SequenceOwner(oid, table, false));
            depends(oid, table);
            useDefault(table, oid);
            return oid;
        }

        long identity(String seq, long table) {
            long oid = sequence(seq);
            owners.add(new SequenceOwner(oid, table, true));
            depends(oid, table);
            return oid;
        }

        long useDefault(long table, long seq) {
            long oid = next++;
            defaults.add(new SequenceDefault(oid, seq, table));
            return oid;
        }

        long fk(String name, long table, long referenced) {
            long oid = next++;
            constraints.add(new Constraint(oid, name, table, 'f', referenced, 0));
            return oid;
        }

        long pk(String name, long table, long index) {
            long oid = next++;
            constraints.add(new Constraint(oid, name, table, 'p', 0, index));
            return oid;
        }

        long extension(String name, String schema) {
            schema(schema);
            long oid = next++;
            extensions.add(new Extension(oid, name, schema));
            return oid;
        }

        void depends(long object, long referenced) {
            dependencies.add(new Dependency(ObjectRef.relation(object), ObjectRef.relation(referenced)));
        }

        long trigger(String description, long... on) {
            long oid = next++;
            for (long t : on) {
                dependencies.add(new Dependency(new ObjectRef(2620, oid), ObjectRef.relation(t), description));
            }
            return oid;
        }

        long oid(String qualified) {
            return byName.get(qualified);
        }

        CatalogGraph graph() {
            return new CatalogGraph(schemas, relations, constraints, owners, defaults, extensions, dependencies);
        }

        Selection resolve(Filters filters) {
            return new FilterScope(filters, false).resolve(graph());
        }

        Selection resolve(Filters filters, boolean foreignKeysNotValid) {
            return new FilterScope(filters, foreignKeysNotValid).resolve(graph());
        }

        Set<String> names(Set<Long> oids) {
            Set<String> names = new TreeSet<>();
            byName.forEach((name, oid) -> {
                if (oids.contains(oid)) {
                    names.add(name);
                }
            });
            return names;
        }

        Set<String> selected(Selection s) {
            return names(s.selectedTables());
        }
    }

    private static List<String> messages(Selection s, Severity severity) {
        return s.problems().stream().filter(p -> p.severity() == severity).map(Problem::message).toList();
    }

    // ------------------------------------------------------------------------------------------------
    // What pgcopydb's documentation and the study (§4) say a filter file selects
    // ------------------------------------------------------------------------------------------------

    @Example
    void theStudysExampleFileSelectsWhatTheStudySays() {
        Catalog c = new Catalog();
        long orders = c.table("public.orders");
        c.index("public.orders_pkey", orders);
        long audit = c.table("public.audit_log");
        c.index("public.audit_log_at_idx", audit);
        long big = c.table("public.big");
        c.index("public.big_gin_idx", big);
        c.sequence("public.counter");
        c.table("tenant_1.accounts");
        c.table("tenant_42.accounts");
        c.table("tenant_x.accounts");
        c.table("tenant_1_old.accounts");
        c.table("old_tenant_1.accounts");
        c.sequence("tenant_x.counter");

        Selection s = c.resolve(FilterFile.parse("""
                [include-only-schema]
                public
                ~/^tenant_[0-9]+$/
                [exclude-index]
                public.big_gin_idx
                [exclude-table-data]
                public.audit_log
                """));

        assertThat(c.selected(s)).containsExactly("public.audit_log", "public.big", "public.orders",
                "tenant_1.accounts", "tenant_42.accounts");
        assertThat(c.names(s.dataExcludedTables())).containsExactly("public.audit_log");
        assertThat(c.names(s.indexesToBuild())).as("the data-excluded table keeps its indexes")
                .containsExactly("public.audit_log_at_idx", "public.orders_pkey");
        assertThat(c.names(s.sequencesToReset())).containsExactly("public.counter");
        assertThat(s.selectedSchemas()).containsExactly("public", "tenant_1", "tenant_42");
        assertThat(s.problems()).isEmpty();
    }

    @Example
    void theStudysNameSyntaxExamples() {
        Catalog c = new Catalog();
        c.table("staging_2024.a");
        c.table("old_staging_x.a");
        c.table("staging.a");
        c.table("public.tmp_orders");
        c.table("public.orders_tmp_x");
        c.table("logs_2024.audit_log");
        c.table("catalog.audit_log");
        c.table("archive.orders_bak");
        c.table("archive.orders");
        c.table("Foo Bar.My Table");

        Selection staging = c.resolve(Filters.none().excludeSchema("~/staging_/"));
        Selection tables = c.resolve(Filters.none().excludeTable("public.~/^tmp_/", "~/^log/.audit_log",
                "~/archive/.~/_bak$/", "\"Foo Bar\".\"My Table\""));

        assertThat(c.names(staging.skippedTables())).as("unanchored: any schema containing staging_")
                .containsExactly("old_staging_x.a", "staging_2024.a");
        assertThat(c.names(tables.skippedTables())).containsExactly("Foo Bar.My Table", "archive.orders_bak",
                "logs_2024.audit_log", "public.tmp_orders");
    }

    @Example
    void pgcopydbsDocumentedInclusionExample() {
        Catalog c = new Catalog();
        long allcols = c.table("public.allcols");
        c.index("public.foo_gin_tsvector", allcols);
        c.index("public.allcols_pkey", allcols);
        long csv = c.table("public.csv");
        c.index("public.csv_pkey", csv);
        long serial = c.table("public.serial");
        c.serial("public.serial_id_seq", serial);
        c.table("public.xzero");
        long other = c.table("public.other");
        c.serial("public.other_id_seq", other);
        c.matview("public.mv", other);

        Selection s = c.resolve(FilterFile.parse(FilterFileExamples.DOCS_INCLUSION));

        assertThat(c.selected(s)).as("no other table will be processed")
                .containsExactly("public.allcols", "public.csv", "public.serial", "public.xzero");
        assertThat(c.names(s.dataExcludedTables())).containsExactly("public.csv");
        assertThat(c.names(s.indexesToBuild())).containsExactly("public.allcols_pkey", "public.csv_pkey");
        assertThat(c.names(s.sequencesToReset())).containsExactly("public.serial_id_seq");
        assertThat(s.matviewsToRefresh()).isEmpty();
        assertThat(c.names(s.commentedOut().stream().map(ObjectRef::objectOid).collect(Collectors.toSet())))
                .containsExactly("public.foo_gin_tsvector", "public.mv", "public.other", "public.other_id_seq");
        assertThat(s.problems()).isEmpty();
    }

    @Example
    void pgcopydbsDocumentedExclusionExample() {
        Catalog c = new Catalog();
        for (String t : List.of("foo.t", "bar.t", "expected.t", "schema.name", "schema.othername", "err.errors",
                "public.serial", "public.bar", "public.keep", "nsitra.test1")) {
            c.table(t);
        }
        long kept = c.table("schema.kept");
        c.index("schema.indexname", kept);
        c.index("schema.kept_pkey", kept);
        long bar = c.oid("public.bar");
        c.index("public.bar_pkey", bar);

        Selection s = c.resolve(FilterFile.parse(FilterFileExamples.DOCS_EXCLUSION));

        assertThat(c.names(s.skippedTables())).containsExactly("bar.t", "err.errors", "expected.t", "foo.t",
                "public.serial", "schema.name", "schema.othername");
        assertThat(c.names(s.dataExcludedTables())).containsExactly("nsitra.test1", "public.bar");
        assertThat(c.names(s.indexesToBuild())).as("schema, index, constraints of data-excluded tables are kept")
                .containsExactly("public.bar_pkey", "schema.kept_pkey");
        assertThat(s.errors()).isEmpty();
    }


    // ------------------------------------------------------------------------------------------------
    // Sequences (#390, #817, #513)
    // ------------------------------------------------------------------------------------------------

    /** pgcopydb's tests/filtering/extra.sql for #390: {@code copy.foo (LIKE app.foo INCLUDING ALL)}. */
    private static Catalog issue390() {
        Catalog c = new Catalog();
        long app = c.table("app.foo");
        long seq = c.serial("app.foo_id_seq", app);
        long copy = c.table("copy.foo");
        c.useDefault(copy, seq);
        return c;
    }

    @Example
    void aSequenceOwnedByAnExcludedTableButUsedByAKeptOneIsKeptWithoutItsOwnedBy() {
        Catalog c = issue390();

        Selection s = c.resolve(Filters.none().excludeTable("app.foo"));

        long seq = c.oid("app.foo_id_seq");
        assertThat(c.selected(s)).containsExactly("copy.foo");
        assertThat(s.sequencesToReset()).containsExactly(seq);
        assertThat(s.ownedByToDrop()).containsExactly(seq);
        assertThat(s.commentedOut()).doesNotContain(ObjectRef.relation(seq));
        assertThat(s.commentedOut()).as("app.foo's default goes with app.foo; copy.foo's stays")
                .contains(c.defaults.get(0).ref()).doesNotContain(c.defaults.get(1).ref());
        assertThat(s.problems()).isEmpty();
    }

    @Example
    void aSequenceInAnotherSchemaUsedByASelectedTableIsKeptAndItsSchemaCreated() {
        Catalog c = issue390();

        Selection s = c.resolve(Filters.none().includeOnlySchema("copy"));

        assertThat(c.selected(s)).containsExactly("copy.foo");
        assertThat(c.names(s.sequencesToReset())).containsExactly("app.foo_id_seq");
        assertThat(s.selectedSchemas()).containsExactly("copy");
        assertThat(s.schemasToCreate()).containsExactly("app", "copy");
        assertThat(c.names(s.ownedByToDrop())).containsExactly("app.foo_id_seq");
    }

    @Example
    void standaloneSequencesOfSelectedSchemasAreReset() {
        Catalog c = new Catalog();
        c.table("public.a");
        c.table("public.b");
        c.sequence("public.invoice_number");
        c.sequence("other.counter");
        c.table("other.t");

        Selection schemas = c.resolve(Filters.none().includeOnlySchema("public"));
        Selection tables = c.resolve(Filters.none().excludeTable("public.b"));
        Selection include = c.resolve(Filters.none().includeOnlyTable("public.a"));

        assertThat(c.names(schemas.sequencesToReset())).containsExactly("public.invoice_number");
        assertThat(c.names(tables.sequencesToReset())).containsExactly("other.counter", "public.invoice_number");
        assertThat(c.names(include.sequencesToReset())).as("include-only-table selects no schema away")
                .containsExactly("other.counter", "public.invoice_number");
    }

    @Example
    void sequencesOfSkippedTablesAreSkippedWithTheirDefaults() {
        Catalog c = new Catalog();
        long a = c.table("public.a");
        long seq = c.serial("public.a_id_seq", a);
        long b = c.table("public.b");
        long identity = c.identity("public.b_id_seq", b);

        Selection s = c.resolve(Filters.none().excludeTable("public.a", "public.b"));

        assertThat(s.sequencesToReset()).isEmpty();
        assertThat(s.commentedOut()).contains(ObjectRef.relation(seq), ObjectRef.relation(identity),
                c.defaults.get(0).ref());
        assertThat(s.ownedByToDrop()).isEmpty();
    }

    @Example
    void anIdentitySequenceCannotOutliveItsTable() {
        Catalog c = new Catalog();
        long a = c.table("public.a");
        long seq = c.identity("public.a_id_seq", a);
        long b = c.table("public.b");
        c.useDefault(b, seq);

        Selection s = c.resolve(Filters.none().excludeTable("public.a"));

        assertThat(s.sequencesToReset()).isEmpty();
        assertThat(messages(s, Severity.ERROR)).containsExactly("a column default of public.b uses sequence"
                + " public.a_id_seq, the identity sequence of public.a, which the filter skips; keep that table or"
                + " also exclude public.b");
    }

    // ------------------------------------------------------------------------------------------------
    // Partitions, matviews, foreign tables
    // ------------------------------------------------------------------------------------------------

    private static Catalog sellers() {
        Catalog c = new Catalog();
        long sellers = c.partitioned("public.sellers");
        c.partitionedIndex("public.sellers_pkey", sellers);
        long y2023 = c.partition("public.sellers_2023", sellers);
        c.index("public.sellers_2023_pkey", y2023);
        c.partition("public.sellers_2024", sellers);
        long archive = c.subPartitioned("public.sellers_archive", sellers);
        c.partition("public.sellers_archive_old", archive);
        c.table("public.other");
        return c;
    }

    @Example
    void includingAPartitionedTableIncludesAllItsPartitions() {
        Catalog c = sellers();

        Selection s = c.resolve(Filters.none().includeOnlyTable("public.sellers"));

        assertThat(c.selected(s)).containsExactly("public.sellers", "public.sellers_2023", "public.sellers_2024",
                "public.sellers_archive", "public.sellers_archive_old");
        assertThat(c.names(s.indexesToBuild())).as("partitioned indexes are left to post-data")
                .containsExactly("public.sellers_2023_pkey");
        assertThat(s.commentedOut()).doesNotContain(ObjectRef.relation(c.oid("public.sellers_pkey")));
    }

    @Example
    void includingAPartitionKeepsItsParentsDefinitionOnly() {
        Catalog c = sellers();

        Selection s = c.resolve(Filters.none().includeOnlyTable("public.sellers_archive_old"));

        assertThat(c.selected(s)).containsExactly("public.sellers", "public.sellers_archive",
                "public.sellers_archive_old");
    }

    @Example
    void excludingAPartitionSkipsItAloneAndExcludingTheParentSkipsAll() {
        Catalog c = sellers();

        Selection leaf = c.resolve(Filters.none().excludeTable("public.sellers_2024"));
        Selection parent = c.resolve(Filters.none().excludeTable("public.sellers"));

        assertThat(c.names(leaf.skippedTables())).containsExactly("public.sellers_2024");
        assertThat(c.selected(parent)).containsExactly("public.other");
        assertThat(parent.problems()).as("partitions of an excluded table go without a warning").isEmpty();
    }

    @Example
    void excludingTheDataOfAPartitionedTableExcludesItsPartitionsData() {
        Catalog c = sellers();

        Selection s = c.resolve(Filters.none().excludeTableData("public.sellers_archive"));

        assertThat(c.names(s.dataExcludedTables())).containsExactly("public.sellers_archive",
                "public.sellers_archive_old");
    }

    @Example
    void aPartitionCannotBeCopiedWithoutItsParent() {
        Catalog c = new Catalog();
        long parent = c.partitioned("hidden.events");
        c.partition("public.events_2024", parent);

        Selection s = c.resolve(Filters.none().excludeSchema("hidden"));

        assertThat(s.selectedTables()).isEmpty();
    }

    @Example
    void materializedViewsCountAsTables() {
        Catalog c = new Catalog();
        long t = c.table("public.t");
        long asData = c.matview("public.mv_data", t);
        c.index("public.mv_data_idx", asData);
        long asTable = c.matview("public.mv_table", t);
        c.matview("public.mv_kept", t);

        Selection s = c.resolve(Filters.none().excludeTableData("public.mv_data").excludeTable("public.mv_table"));

        assertThat(c.names(s.matviewsToRefresh())).containsExactly("public.mv_kept");
        assertThat(c.names(s.dataExcludedTables())).containsExactly("public.mv_data");
        assertThat(c.names(s.indexesToBuild())).containsExactly("public.mv_data_idx");
        assertThat(s.commentedOut()).containsExactly(ObjectRef.relation(asTable));
    }

    @Example
    void aMatviewOverASkippedTableIsSkippedAndAnExplicitIncludeOfItIsAnError() {
        Catalog c = new Catalog();
        long t = c.table("public.t");
        c.matview("public.mv", t);
        c.table("public.u");

        Selection excluded = c.resolve(Filters.none().excludeTable("public.t"));
        Selection included = c.resolve(Filters.none().includeOnlyTable("public.mv", "public.u"));

        assertThat(c.selected(excluded)).containsExactly("public.u");
        assertThat(messages(excluded, Severity.WARNING)).containsExactly("materialized view public.mv is skipped:"
                + " it depends on table public.t, which the filter skips; keep that to copy it");
        assertThat(messages(included, Severity.ERROR)).containsExactly("materialized view public.mv is skipped:"
                + " it depends on table public.t, which the filter skips; include that too or remove the"
                + " includeOnlyTable entry");
    }

    @Example
    void foreignTablesCountAsTables() {
        Catalog c = new Catalog();
        c.foreignTable("public.remote");
        c.table("public.t");

        Selection s = c.resolve(Filters.none().includeOnlyTable("public.remote"));

        assertThat(c.selected(s)).containsExactly("public.remote");
        assertThat(s.problems()).isEmpty();
    }

    // ------------------------------------------------------------------------------------------------
    // Foreign keys
    // ------------------------------------------------------------------------------------------------

    private static Catalog pagilaPayments() {
        Catalog c = new Catalog();
        long rental = c.table("public.rental");
        long payment = c.table("public.payment");
        long customer = c.table("public.customer");
        c.fk("payment_rental_id_fkey", payment, rental);
        c.fk("rental_customer_id_fkey", rental, customer);
        return c;
    }

    @Example
    void aForeignKeyToRowsThatAreNotCopiedStopsTheCopyWithTheChoices() {
        Catalog c = pagilaPayments();

        Selection s = c.resolve(Filters.none().excludeTableData("public.rental"));

        assertThat(messages(s, Severity.ERROR)).containsExactly("foreign key \"payment_rental_id_fkey\" on"
                + " public.payment references public.rental, whose rows are not copied (excludeTableData):"
                + " validating it would fail after the copy; also exclude the referencing data (excludeTableData"
                + " \"public.payment\") or create those foreign keys NOT VALID (foreignKeysNotValid())");
        assertThat(s.foreignKeysNotValid()).isEmpty();
    }

    @Example
    void withForeignKeysNotValidItIsAWarningAndTheKeyIsListed() {
        Catalog c = pagilaPayments();
        long fk = c.constraints.get(0).oid();

        Selection s = c.resolve(Filters.none().excludeTableData("public.rental"), true);

        assertThat(s.errors()).isEmpty();
        assertThat(messages(s, Severity.WARNING)).containsExactly("foreign key \"payment_rental_id_fkey\" on"
                + " public.payment references public.rental, whose rows are not copied (excludeTableData): it is"
                + " created NOT VALID (foreignKeysNotValid())");
        assertThat(s.foreignKeysNotValid()).containsExactly(fk);
    }

    @Example
    void excludingTheReferencingDataToo() {
        Catalog c = pagilaPayments();

        Selection s = c.resolve(Filters.none().excludeTableData("public.rental", "public.payment"));

        assertThat(s.problems()).isEmpty();
    }

    @Example
    void aForeignKeyToASkippedTableIsNotCreatedAndSaidSo() {
        Catalog c = pagilaPayments();

        Selection s = c.resolve(Filters.none().excludeTable("public.rental"));

        assertThat(s.commentedOut()).contains(c.constraints.get(0).ref(), c.constraints.get(1).ref());
        assertThat(messages(s, Severity.WARNING)).containsExactly("foreign key \"payment_rental_id_fkey\" on"
                + " public.payment references public.rental, which the filter skips: the key is not created on the"
                + " target; keep public.rental to keep it");
        assertThat(s.errors()).isEmpty();
    }

    @Example
    void aForeignKeyToAPartitionedTableMissingAPartitionIsAnError() {
        Catalog c = sellers();
        long orders = c.table("public.orders");
        c.fk("orders_seller_fkey", orders, c.oid("public.sellers"));

        Selection s = c.resolve(Filters.none().excludeTable("public.sellers_2024"));

        assertThat(messages(s, Severity.ERROR)).singleElement().asString()
                .contains("whose rows are only partly copied");
    }

    // ------------------------------------------------------------------------------------------------
    // Indexes, closure, extensions, entry problems
    // ------------------------------------------------------------------------------------------------

    @Example
    void anExcludedIndexTakesItsConstraintAndTheKeysUsingIt() {
        Catalog c = new Catalog();
        long t = c.table("public.t");
        long pkey = c.index("public.t_pkey", t);
        long pk = c.pk("t_pkey", t, pkey);
        long u = c.table("public.u");
        long fk = c.fk("u_t_fkey", u, t);
        c.dependencies.add(new Dependency(new ObjectRef(CatalogGraph.PG_CONSTRAINT, fk), ObjectRef.relation(pkey)));

        Selection s = c.resolve(Filters.none().excludeIndex("public.t_pkey"));

        assertThat(s.indexesToBuild()).isEmpty();
        assertThat(s.commentedOut()).contains(ObjectRef.relation(pkey),
                new ObjectRef(CatalogGraph.PG_CONSTRAINT, pk), new ObjectRef(CatalogGraph.PG_CONSTRAINT, fk));
        assertThat(messages(s, Severity.WARNING)).containsExactly(
                "constraint \"t_pkey\" on public.t is not created: it depends on index public.t_pkey, which the"
                        + " filter skips",
                "foreign key \"u_t_fkey\" on public.u is not created: it depends on index public.t_pkey, which the"
                        + " filter skips");
    }

    @Example
    void everythingDependingOnASkippedTableGoesAndKeptTablesLosingSomethingAreReported() {
        Catalog c = new Catalog();
        long t = c.table("public.t");
        long kept = c.table("public.kept");
        long child = c.table("public.child");
        c.depends(child, t);
        long onlyT = c.view("public.v_t", t);
        long both = c.view("public.v_both", t, kept);
        long trigger = c.trigger("trigger sync on table public.kept", kept, t);

        Selection s = c.resolve(Filters.none().excludeTable("public.t"));

        assertThat(c.selected(s)).containsExactly("public.kept");
        assertThat(s.commentedOut()).contains(ObjectRef.relation(onlyT), ObjectRef.relation(both),
                ObjectRef.relation(child), new ObjectRef(2620, trigger));
        assertThat(messages(s, Severity.WARNING)).containsExactlyInAnyOrder(
                "table public.child is skipped: it depends on table public.t, which the filter skips; keep that to"
                        + " copy it",
                "view public.v_both is not restored: it depends on table public.t, which the filter skips",
                "trigger sync on table public.kept is not restored: it depends on table public.t, which the filter"
                        + " skips");
    }

    @Example
    void extensionsFollowTheirOwnSectionsNotTheSchemaSections() {
        Catalog c = new Catalog();
        long hstore = c.extension("hstore", "public");
        long postgis = c.extension("postgis", "gis");
        c.table("public.t");

        Selection include = c.resolve(Filters.none().includeOnlyExtension("hstore").excludeSchema("public"));
        Selection exclude = c.resolve(Filters.none().excludeExtension("~/^post/"));

        assertThat(include.extensionsKept()).containsExactly(hstore);
        assertThat(include.commentedOut()).contains(new ObjectRef(CatalogGraph.PG_EXTENSION, postgis));
        assertThat(include.schemasToCreate()).as("a kept extension needs its schema").contains("public");
        assertThat(exclude.extensionsKept()).containsExactly(hstore);
    }

    @Example
    void includeOnlyNamesMatchingNothingAreErrorsExcludeNamesWarnings() {
        Catalog c = new Catalog();
        c.table("public.a");
        c.extension("hstore", "public");

        Selection s = c.resolve(Filters.none().includeOnlyTable("public.a", "public.nope", "public.~/^zz/")
                .includeOnlySchema("public", "Public").excludeIndex("public.a_idx").excludeTableData("public.b")
                .includeOnlyExtension("hstore", "postgis"));

        assertThat(messages(s, Severity.ERROR)).containsExactly(
                "includeOnlySchema \"Public\" matches no schema of the source; check the spelling (names are"
                        + " case-sensitive) or remove the entry",
                "includeOnlyTable \"public.nope\" matches no table, partitioned table, materialized view or"
                        + " foreign table of the source; check the spelling (names are case-sensitive) or remove"
                        + " the entry",
                "includeOnlyExtension \"postgis\" matches no extension of the source; check the spelling (names"
                        + " are case-sensitive) or remove the entry");
        assertThat(messages(s, Severity.WARNING)).containsExactly(
                "includeOnlyTable \"public.~/^zz/\" matches no table, partitioned table, materialized view or"
                        + " foreign table of the source; it selects nothing",
                "excludeTableData \"public.b\" matches no table, partitioned table, materialized view or foreign"
                        + " table of the source; the entry has no effect",
                "excludeIndex \"public.a_idx\" matches no index of the source; the entry has no effect");
        assertThat(s.problems().get(0).severity()).as("errors first").isEqualTo(Severity.ERROR);
    }

    @Example
    void anIncludedTableInAnExcludedSchemaIsAWarning() {
        Catalog c = new Catalog();
        c.table("bar.t");
        c.table("public.t");

        Selection s = c.resolve(Filters.none().includeOnlyTable("bar.t", "public.t").excludeSchema("bar"));

        assertThat(c.selected(s)).containsExactly("public.t");
        assertThat(messages(s, Severity.WARNING)).containsExactly("includeOnlyTable \"bar.t\" matches bar.t but the"
                + " schema sections (or a skipped partitioned parent) leave it out; select its schema or remove the"
                + " entry");
    }

    @Example
    void suggestedEntriesQuoteWhatTheSyntaxNeeds() {
        assertThat(new Relation(1, "public", "payment", Kind.TABLE, 0, 0).entry())
                .isEqualTo("public.payment");
        assertThat(new Relation(1, "my.app", "Order \"X\"", Kind.TABLE, 0, 0).entry())
                .isEqualTo("\"my.app\".\"Order \"\"X\"\"\"");
        Filters roundTrip = Filters.none().excludeTableData("\"my.app\".\"Order \"\"X\"\"\"");
        assertThat(roundTrip.entries(Filters.Section.EXCLUDE_TABLE_DATA).get(0).matches("my.app", "Order \"X\""))
                .isTrue();
    }

    // ------------------------------------------------------------------------------------------------
    // Properties over generated catalogs
    // ------------------------------------------------------------------------------------------------

    /** A generated catalog, a filter over it and the resolution flag. */
    record Scenario(CatalogGraph graph, Filters filters, boolean notValid) {
        Selection resolve() {
            return new FilterScope(filters, notValid).resolve(graph);
        }

        Selection resolve(Filters other) {
            return new FilterScope(other, notValid).resolve(graph);
        }

        @Override
        public String toString() {
            return filters + " notValid=" + notValid + " over " + graph.relations().size() + " relations";
        }
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        return Arbitraries.randomValue(FilterScopeTest::scenario);
    }

    @Provide
    Arbitrary<CatalogGraph> catalogs() {
        return Arbitraries.randomValue(FilterScopeTest::catalog);
    }

    static CatalogGraph catalog(Random r) {
        Catalog c = new Catalog();
        int schemas = 1 + r.nextInt(4);
        List<Long> tables = new ArrayList<>();
        List<Long> withRows = new ArrayList<>();
        int n = 0;
        for (int s = 0; s < schemas; s++) {
            String schema = "s" + s;
            c.schema(schema);
            for (int t = 1 + r.nextInt(7); t > 0; t--) {
                String name = schema + ".t" + n++;
                int kind = r.nextInt(20);
                long oid;
                if (kind < 3) {
                    oid = c.partitioned(name);
                    for (int p = 1 + r.nextInt(3); p > 0; p--) {
                        String leafSchema = r.nextInt(5) == 0 ? "s" + r.nextInt(schemas) : schema;
                        long leaf = r.nextInt(6) == 0 ? c.subPartitioned(leafSchema + ".t" + n++, oid)
                                : c.partition(leafSchema + ".t" + n++, oid);
                        tables.add(leaf);
                        withRows.add(leaf);
                    }
                } else if (kind < 5 && !tables.isEmpty()) {
                    oid = c.matview(name, tables.get(r.nextInt(tables.size())));
                } else if (kind == 5) {
                    oid = c.foreignTable(name);
                } else {
                    oid = c.table(name);
                    withRows.add(oid);
                }
                tables.add(oid);
            }
            for (int q = r.nextInt(3); q > 0; q--) {
                c.sequence(schema + ".q" + n++);
            }
        }
        for (long t : withRows) {
            Relation rel = relation(c, t);
            if (rel.kind() != Kind.TABLE) {
                continue;
            }
            for (int i = r.nextInt(3); i > 0; i--) {
                long index = c.index(rel.schema() + ".i" + n++, t);
                if (r.nextBoolean()) {
                    c.pk("c" + n++, t, index);
                }
            }
            if (r.nextInt(2) == 0) {
                long seq = r.nextInt(3) == 0 ? c.identity(rel.schema() + ".seq" + n++, t)
                        : c.serial(rel.schema() + ".seq" + n++, t);
                if (r.nextInt(3) == 0) {
                    c.useDefault(withRows.get(r.nextInt(withRows.size())), seq);
                }
            }
            for (int k = r.nextInt(3); k > 0; k--) {
                c.fk("fk" + n++, t, tables.get(r.nextInt(tables.size())));
            }
            if (r.nextInt(12) == 0) {
                c.depends(t, tables.get(r.nextInt(tables.size())));
            }
        }
        for (int v = tables.isEmpty() ? 0 : r.nextInt(4); v > 0; v--) {
            c.view("s" + r.nextInt(schemas) + ".v" + n++, tables.get(r.nextInt(tables.size())),
                    tables.get(r.nextInt(tables.size())));
        }
        for (int e = r.nextInt(3); e > 0; e--) {
            c.extension("e" + n++, "s" + r.nextInt(schemas));
        }
        removeInheritanceCycles(c);
        return c.graph();
    }

    /** A table inheriting from itself, directly or not, cannot exist; drop such generated edges. */
    private static void removeInheritanceCycles(Catalog c) {
        Map<Long, List<Long>> edges = new HashMap<>();
        List<Dependency> kept = new ArrayList<>();
        for (Dependency d : c.dependencies) {
            if (!reaches(edges, d.referenced().objectOid(), d.object().objectOid(), new HashSet<>())) {
                edges.computeIfAbsent(d.object().objectOid(), k -> new ArrayList<>()).add(d.referenced().objectOid());
                kept.add(d);
            }
        }
        c.dependencies.clear();
        c.dependencies.addAll(kept);
    }

    private static boolean reaches(Map<Long, List<Long>> edges, long from, long to, Set<Long> seen) {
        if (from == to) {
            return true;
        }
        if (!seen.add(from)) {
            return false;
        }
        for (long next : edges.getOrDefault(from, List.of())) {
            if (reaches(edges, next, to, seen)) {
                return true;
            }
        }
        return false;
    }

    private static Relation relation(Catalog c, long oid) {
        return c.relations.stream().filter(x -> x.oid() == oid).findFirst().orElseThrow();
    }

    static Scenario scenario(Random r) {
        CatalogGraph g = catalog(r);
        List<String> schemas = g.schemas().stream().map(Namespace::name).toList();
        List<String> tables = g.relations().stream().filter(Relation::isTableLike).map(Relation::qualified).toList();
        List<String> indexes = g.relations().stream().filter(Relation::isIndex).map(Relation::qualified).toList();
        List<String> extensions = g.extensions().stream().map(Extension::name).toList();
        Filters f = Filters.none();
        switch (r.nextInt(3)) {
            case 0 -> f = f.includeOnlySchema(pick(r, schemas, "~/^s[01]$/"));
            case 1 -> f = f.excludeSchema(pick(r, schemas, "~/^s2/"));
            default -> { }
        }
        switch (r.nextInt(3)) {
            case 0 -> f = f.includeOnlyTable(pick(r, tables, "s0.~/^t1/"));
            case 1 -> f = f.excludeTable(pick(r, tables, "~/./.~/^t2/"));
            default -> { }
        }
        if (r.nextBoolean()) {
            f = f.excludeTableData(pick(r, tables, "s1.~/3$/"));
        }
        if (r.nextBoolean()) {
            f = f.excludeIndex(pick(r, indexes, "s0.~/^i/"));
        }
        if (r.nextInt(4) == 0) {
            f = r.nextBoolean() ? f.includeOnlyExtension(pick(r, extensions, "~/^e/"))
                    : f.excludeExtension(pick(r, extensions, "nope"));
        }
        return new Scenario(g, f, r.nextBoolean());
    }

    /** A few of {@code names}, sometimes with {@code pattern} or a name that does not exist. */
    private static String[] pick(Random r, List<String> names, String pattern) {
        List<String> picked = new ArrayList<>();
        for (String name : names) {
            if (r.nextInt(3) == 0) {
                picked.add(name);
            }
        }
        if (r.nextInt(4) == 0) {
            picked.add(pattern);
        }
        if (picked.isEmpty() || r.nextInt(10) == 0) {
            picked.add(pattern.contains(".") ? "s9.missing" : "missing");
        }
        return picked.toArray(String[]::new);
    }

    @Property(tries = 200)
    void everyTableIsEitherSelectedOrSkippedNeverBoth(@ForAll("scenarios") Scenario scenario) {
        Selection s = scenario.resolve();

        Set<Long> tableLike = scenario.graph().relations().stream().filter(Relation::isTableLike)
                .map(Relation::oid).collect(Collectors.toSet());
        assertThat(s.tables().keySet()).isEqualTo(tableLike);
        Set<Long> both = new HashSet<>(s.selectedTables());
        both.retainAll(s.skippedTables());
        assertThat(both).as("selected and skipped").isEmpty();
        assertThat(s.selectedTables().size() + s.skippedTables().size()).isEqualTo(tableLike.size());
        for (long oid : s.skippedTables()) {
            assertThat(s.commentedOut()).contains(ObjectRef.relation(oid));
        }
        for (long oid : s.selectedTables()) {
            assertThat(s.commentedOut()).doesNotContain(ObjectRef.relation(oid));
        }
    }

    @Property(tries = 200)
    void nothingSelectedDependsOnSomethingSkippedUnreported(@ForAll("scenarios") Scenario scenario) {
        CatalogGraph g = scenario.graph();
        Selection s = scenario.resolve();
        Map<Long, Relation> rel = g.relations().stream().collect(Collectors.toMap(Relation::oid, x -> x));
        String problems = s.problems().toString();

        for (Constraint c : g.constraints()) {
            if (!c.isForeignKey() || !s.decision(c.tableOid()).selected()) {
                continue;
            }
            if (s.commentedOut().contains(c.ref())) {
                assertThat(problems).as("a dropped key is reported").contains("\"" + c.name() + "\"");
                continue;
            }
            assertThat(s.decision(c.referencedTableOid()).selected()).as("never a key to a skipped table").isTrue();
            if (hasRows(g, s, c.tableOid()) && !completeRows(g, s, c.referencedTableOid())) {
                boolean listed = s.foreignKeysNotValid().contains(c.oid()) && messages(s, Severity.WARNING).stream()
                        .anyMatch(m -> m.contains("\"" + c.name() + "\"") && m.contains("NOT VALID"));
                boolean stopped = messages(s, Severity.ERROR).stream()
                        .anyMatch(m -> m.contains("\"" + c.name() + "\""));
                assertThat(scenario.notValid() ? listed : stopped).as("key %s in %s", c.name(), problems).isTrue();
            }
        }
        for (SequenceOwner o : g.sequenceOwners()) {
            if (s.sequencesToReset().contains(o.sequenceOid())) {
                assertThat(s.decision(o.tableOid()).selected() || (!o.identity()
                        && s.ownedByToDrop().contains(o.sequenceOid()))).as("owner of a kept sequence").isTrue();
            }
        }
        for (long index : s.indexesToBuild()) {
            assertThat(s.decision(rel.get(index).tableOid()).selected()).isTrue();
            assertThat(s.commentedOut()).doesNotContain(ObjectRef.relation(index));
        }
        for (long seq : s.sequencesToReset()) {
            assertThat(s.commentedOut()).doesNotContain(ObjectRef.relation(seq));
        }
        for (SequenceDefault d : g.sequenceDefaults()) {
            if (s.decision(d.tableOid()).selected() && !s.sequencesToReset().contains(d.sequenceOid())) {
                assertThat(messages(s, Severity.ERROR)).as("a kept default using a dropped sequence")
                        .anyMatch(m -> m.contains("a column default of " + rel.get(d.tableOid()).qualified()));
            }
        }
        for (Dependency d : g.dependencies()) {
            if (!s.commentedOut().contains(d.referenced())) {
                continue;
            }
            boolean keptSequence = d.object().classOid() == CatalogGraph.PG_CLASS
                    && s.sequencesToReset().contains(d.object().objectOid());
            if (keptSequence) {
                assertThat(s.ownedByToDrop()).as("a kept sequence owned by a skipped table loses its OWNED BY")
                        .contains(d.object().objectOid());
            } else {
                assertThat(s.commentedOut()).as("%s depends on skipped %s", d.object(), d.referenced())
                        .contains(d.object());
            }
        }
    }

    private static boolean hasRows(CatalogGraph g, Selection s, long oid) {
        Relation r = g.relations().stream().filter(x -> x.oid() == oid).findFirst().orElseThrow();
        if (s.decision(oid) != COPY) {
            return false;
        }
        if (r.kind() == Kind.PARTITIONED_TABLE) {
            return g.relations().stream().anyMatch(p -> p.parentOid() == oid && hasRows(g, s, p.oid()));
        }
        return r.kind() == Kind.TABLE || r.kind() == Kind.MATERIALIZED_VIEW;
    }

    private static boolean completeRows(CatalogGraph g, Selection s, long oid) {
        return s.decision(oid) == COPY
                && g.relations().stream().filter(p -> p.parentOid() == oid).allMatch(p -> completeRows(g, s, p.oid()));
    }

    @Property(tries = 150)
    void excludeTableComposedWithIncludeOnlySchemaRemovesTheTableAndWhatNeedsIt(
            @ForAll("catalogs") CatalogGraph g, @ForAll Random random) {
        List<String> schemas = g.schemas().stream().map(Namespace::name).toList();
        List<Relation> tables = g.relations().stream().filter(Relation::isTableLike).toList();
        net.jqwik.api.Assume.that(!tables.isEmpty());
        Relation removed = tables.get(random.nextInt(tables.size()));
        Filters base = Filters.none().includeOnlySchema(schemas.get(random.nextInt(schemas.size())));
        Filters minus = base.excludeTable(removed.entry());

        Selection before = new FilterScope(base, false).resolve(g);
        Selection after = new FilterScope(minus, false).resolve(g);

        assertThat(after.selectedSchemas()).isEqualTo(before.selectedSchemas());
        assertThat(before.selectedTables()).containsAll(after.selectedTables());
        assertThat(after.selectedTables()).doesNotContain(removed.oid());
        for (long gone : new TreeSet<>(before.selectedTables())) {
            if (after.selectedTables().contains(gone) || gone == removed.oid()
                    || descendsFrom(g, gone, removed.oid())) {
                continue;
            }
            Relation r = g.relations().stream().filter(x -> x.oid() == gone).findFirst().orElseThrow();
            assertThat(after.problems().toString()).as("%s removed without a word", r.qualified())
                    .contains(r.qualified() + " is skipped: it depends on");
        }
    }

    private static boolean descendsFrom(CatalogGraph g, long oid, long ancestor) {
        for (Relation r = find(g, oid); r != null && r.parentOid() != 0; r = find(g, r.parentOid())) {
            if (r.parentOid() == ancestor) {
                return true;
            }
        }
        return false;
    }

    private static Relation find(CatalogGraph g, long oid) {
        return g.relations().stream().filter(x -> x.oid() == oid).findFirst().orElse(null);
    }

    @Property(tries = 150)
    void aPatternAndTheEquivalentExactListSelectTheSameTables(@ForAll("catalogs") CatalogGraph g,
            @ForAll Random random) {
        Map<String, List<String>> chosen = new LinkedHashMap<>();
        List<String> exact = new ArrayList<>();
        for (Relation r : g.relations()) {
            if (r.isTableLike() && random.nextBoolean()) {
                chosen.computeIfAbsent(r.schema(), k -> new ArrayList<>()).add(r.name());
                exact.add(r.qualified());
            }
        }
        net.jqwik.api.Assume.that(!exact.isEmpty());
        String[] patterns = chosen.entrySet().stream()
                .map(e -> "~/^" + e.getKey() + "$/.~/^(" + String.join("|", e.getValue()) + ")$/")
                .toArray(String[]::new);
        String schemaPattern = "~/^(" + String.join("|", chosen.keySet()) + ")$/";

        for (boolean include : List.of(true, false)) {
            Filters byName = include ? Filters.none().includeOnlyTable(exact.toArray(String[]::new))
                    : Filters.none().excludeTable(exact.toArray(String[]::new)).excludeTableData(exact.get(0));
            Filters byPattern = include ? Filters.none().includeOnlyTable(patterns)
                    : Filters.none().excludeTable(patterns).excludeTableData(exact.get(0));
            assertThat(new FilterScope(byPattern, false).resolve(g).tables())
                    .isEqualTo(new FilterScope(byName, false).resolve(g).tables());
        }
        Filters schemasByName = Filters.none().includeOnlySchema(chosen.keySet().toArray(String[]::new));
        Filters schemasByPattern = Filters.none().includeOnlySchema(schemaPattern);
        assertThat(new FilterScope(schemasByPattern, false).resolve(g).tables())
                .isEqualTo(new FilterScope(schemasByName, false).resolve(g).tables());
    }

    @Property(tries = 150)
    void excludingMoreNeverSelectsMoreAndExcludingDataNeverChangesTheSelection(
            @ForAll("scenarios") Scenario scenario, @ForAll Random random) {
        List<Relation> tables = scenario.graph().relations().stream().filter(Relation::isTableLike).toList();
        net.jqwik.api.Assume.that(!tables.isEmpty() && scenario.filters().includedTables().isEmpty());
        String entry = tables.get(random.nextInt(tables.size())).entry();

        Selection before = scenario.resolve();
        Selection excluded = scenario.resolve(scenario.filters().excludeTable(entry));
        Selection dataExcluded = scenario.resolve(scenario.filters().excludeTableData(entry));

        assertThat(before.selectedTables()).containsAll(excluded.selectedTables());
        assertThat(dataExcluded.selectedTables()).isEqualTo(before.selectedTables());
        assertThat(dataExcluded.dataExcludedTables()).containsAll(before.dataExcludedTables());
        before.tables().forEach((oid, d) -> assertThat(dataExcluded.decision(oid))
                .isEqualTo(d == COPY && !dataExcluded.dataExcludedTables().contains(oid) ? COPY
                        : d == SKIP ? SKIP : SCHEMA_ONLY));
    }

}
