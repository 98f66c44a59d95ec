package io.pgcopydb.internal.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.internal.data.BinaryCompatibility.Choice;
import io.pgcopydb.internal.data.BinaryCompatibility.ColumnType;
import io.pgcopydb.internal.data.BinaryCompatibility.Extension;
import io.pgcopydb.internal.data.BinaryCompatibility.Server;
import io.pgcopydb.internal.data.BinaryCompatibility.Step;
import io.pgcopydb.internal.data.BinaryCompatibility.TypeNode;
import io.pgcopydb.model.CopyFormat;
import io.pgcopydb.model.QualifiedName;
import io.pgcopydb.model.SourceTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The rules choosing binary COPY per table. The examples name each rule of the brief; the properties check the
 * linear walk of a column's chain against a recursive statement of the same rules on the type's tree, for any
 * nesting of domains, arrays, ranges, multiranges and composites.
 */
class BinaryCompatibilityTest {
    private static final QualifiedName TABLE = new QualifiedName("public", "t");
    private static final Extension HSTORE_18 = new Extension("hstore", "1.8");

    // ---- the type trees the tests build columns from ----

    /** A type as a tree; {@link #chain} flattens it the way the catalog query does. */
    private sealed interface Type {
        /** The type's own node, reached {@code via}. */
        TypeNode node(Step via);

        /** The type and what it is made of, one step at a time. */
        default List<TypeNode> chain(Step via) {
            List<TypeNode> chain = new ArrayList<>(List.of(node(via)));
            inner().ifPresent(i -> chain.addAll(i.chain(step())));
            return chain;
        }

        default Optional<Type> inner() {
            return Optional.empty();
        }

        default Step step() {
            throw new IllegalStateException("a leaf has no inner type");
        }

        /** The rules, stated recursively: whether this type's binary form can be trusted on another server. */
        boolean safe();

        boolean builtIn();
    }

    /** A base type or an enum. */
    private record Leaf(long oid, String schema, String name, char kind, boolean binaryIo,
            Optional<Extension> extension) implements Type {
        public TypeNode node(Step via) {
            return new TypeNode(oid, schema, name, kind, via, binaryIo, extension);
        }

        public boolean safe() {
            if (kind == 'e') {
                return true;
            }
            if (kind == 'c') {
                return false;
            }
            boolean alias = builtIn() && BinaryCompatibility.OID_ALIASES.contains(name);
            return !alias && binaryIo && (builtIn() || extension.isPresent());
        }

        public boolean builtIn() {
            return oid < 16384;
        }
    }

    /** A domain, array, range or multirange over {@code of}. */
    private record Wrapper(long oid, String name, char kind, Step step, Type of) implements Type {
        public TypeNode node(Step via) {
            return new TypeNode(oid, oid < 16384 ? "pg_catalog" : "public", name, kind, via, true, Optional.empty());
        }

        @Override
        public Optional<Type> inner() {
            return Optional.of(of);
        }

        public boolean safe() {
            return step == Step.ARRAY ? of.builtIn() && of.safe() : of.safe();
        }

        public boolean builtIn() {
            return oid < 16384;
        }
    }

    private static Leaf builtin(long oid, String name) {
        return new Leaf(oid, "pg_catalog", name, 'b', true, Optional.empty());
    }

    private static final Leaf INT4 = builtin(23, "int4");
    private static final Leaf TEXT = builtin(25, "text");
    private static final Leaf FLOAT8 = builtin(701, "float8");
    private static final Leaf CHAR = builtin(18, "char");
    private static final Leaf JSONB = builtin(3802, "jsonb");
    private static final Leaf REGCLASS = builtin(2205, "regclass");
    private static final Leaf REGTYPE = builtin(2206, "regtype");
    private static final Leaf ACLITEM = new Leaf(1033, "pg_catalog", "aclitem", 'b', false, Optional.empty());
    private static final Leaf MOOD = new Leaf(16500, "public", "mood", 'e', true, Optional.empty());
    private static final Leaf ADDRESS = new Leaf(16510, "public", "address", 'c', true, Optional.empty());
    private static final Leaf HSTORE = new Leaf(16520, "ext", "hstore", 'b', true, Optional.of(HSTORE_18));
    private static final Leaf HOMEMADE = new Leaf(16530, "public", "homemade", 'b', true, Optional.empty());

    private static Wrapper domain(Type of) {
        return new Wrapper(16600, "dom", 'd', Step.DOMAIN, of);
    }

    private static Wrapper array(Type of) {
        return new Wrapper(of.builtIn() ? 1000 : 16700, "_arr", 'b', Step.ARRAY, of);
    }

    private static Wrapper range(Type of) {
        return new Wrapper(of == INT4 ? 3904 : 16800, "rng", 'r', Step.RANGE, of);
    }

    private static Wrapper multirange(Wrapper range) {
        return new Wrapper(range.builtIn() ? 4451 : 16900, "mrng", 'm', Step.MULTIRANGE, range);
    }

    private static ColumnType column(Type type) {
        return new ColumnType("display", type.chain(Step.COLUMN));
    }

    private static Server server(int major, String encoding, Map<String, Type> columns) {
        Map<String, ColumnType> types = new LinkedHashMap<>();
        columns.forEach((name, type) -> types.put(name, column(type)));
        return new Server(major, encoding, Map.of(TABLE, types));
    }

    private static SourceTable table(List<String> columns) {
        return new SourceTable(16384, TABLE, 8192, 1, columns, false);
    }

    private static Choice choose(Map<String, Type> columns) {
        Server side = server(15, "UTF8", columns);
        return BinaryCompatibility.decide(table(List.copyOf(columns.keySet())), side, side);
    }

    // ---- examples: one rule each ----

    @Test
    void builtInTypesWithSendAndReceiveAreBinary() {
        Map<String, Type> columns = new LinkedHashMap<>();
        columns.put("i", INT4);
        columns.put("tags", array(TEXT));
        columns.put("c", CHAR);
        columns.put("j", JSONB);
        columns.put("during", range(INT4));
        columns.put("spans", multirange(range(INT4)));
        columns.put("ranges", array(range(INT4)));

        assertThat(choose(columns)).isEqualTo(Choice.BINARY);
    }

    @Test
    void enumsDomainsUserRangesAndExtensionTypesOfOneVersionAreBinary() {
        Map<String, Type> columns = new LinkedHashMap<>();
        columns.put("feeling", MOOD);
        columns.put("pos", domain(INT4));
        columns.put("tag_list", domain(array(TEXT)));
        columns.put("fr", range(FLOAT8));
        columns.put("attrs", HSTORE);
        columns.put("nested", domain(domain(range(domain(FLOAT8)))));

        assertThat(choose(columns)).isEqualTo(Choice.BINARY);
    }

    @Test
    void oidAliasesAreText() {
        for (Leaf alias : List.of(REGCLASS, REGTYPE, builtin(4191, "regcollation"), builtin(4096, "regrole"))) {
            Choice choice = choose(Map.of("r", alias));

            assertThat(choice.format()).as(alias.name()).isEqualTo(CopyFormat.TEXT);
            assertThat(choice.reason()).get().asString().startsWith("column r (display): " + alias.name()
                    + " is sent as a raw OID");
        }
        assertThat(choose(Map.of("r", array(REGCLASS))).format()).as("regclass[]").isEqualTo(CopyFormat.TEXT);
    }

    @Test
    void typesWithoutBinaryFunctionsAreText() {
        assertThat(choose(Map.of("acl", array(ACLITEM))).reason()).get().asString()
                .endsWith("aclitem has no binary send and receive functions");
    }

    @Test
    void compositesAreTextWhereverTheyAre() {
        for (Type t : List.of(ADDRESS, domain(ADDRESS), range(ADDRESS), domain(range(ADDRESS)))) {
            assertThat(choose(Map.of("home", t)).reason()).as(t.toString()).get().asString()
                    .contains("composite type public.address: its binary form carries its attributes' type OIDs");
        }
    }

    @Test
    void arraysOfTypesThatAreNotBuiltInAreText() {
        assertThat(choose(Map.of("feelings", array(MOOD))).reason()).get().asString()
                .isEqualTo("column feelings (display): an array of public.mood, which is not built in: its binary "
                        + "form carries the element type's OID, which differs on the target");
        assertThat(choose(Map.of("d", array(domain(INT4)))).format()).isEqualTo(CopyFormat.TEXT);
        assertThat(choose(Map.of("h", array(HSTORE))).format()).isEqualTo(CopyFormat.TEXT);
        assertThat(choose(Map.of("r", array(range(FLOAT8)))).format()).isEqualTo(CopyFormat.TEXT);
    }

    @Test
    void aBaseTypeOfNoExtensionIsText() {
        assertThat(choose(Map.of("h", HOMEMADE)).reason()).get().asString()
                .contains("base type public.homemade belongs to no extension");
    }

    @Test
    void anExtensionOfAnotherVersionOnTheTargetIsText() {
        Server source = server(15, "UTF8", Map.of("attrs", HSTORE));
        Server target = server(15, "UTF8", Map.of("attrs",
                new Leaf(16999, "ext", "hstore", 'b', true, Optional.of(new Extension("hstore", "1.7")))));

        Choice choice = BinaryCompatibility.decide(table(List.of("attrs")), source, target);

        assertThat(choice.reason()).contains("column attrs (display): type ext.hstore of extension hstore is "
                + "version 1.8 on the source and 1.7 on the target");
    }

    @Test
    void aColumnOfOtherTypesOrMissingOnTheTargetIsText() {
        Server source = server(15, "UTF8", Map.of("a", INT4, "b", TEXT));

        assertThat(BinaryCompatibility.decide(table(List.of("a", "b")), source,
                server(15, "UTF8", Map.of("a", INT4, "b", domain(TEXT)))).reason())
                .contains("column b (display): the target's column is display, made of other types");
        assertThat(BinaryCompatibility.decide(table(List.of("a", "b")), source,
                server(15, "UTF8", Map.of("a", INT4))).reason())
                .contains("column b (display): not found on the target");
    }

    @Test
    void theFirstColumnInTheWayIsNamedAndTheOthersCounted() {
        Map<String, Type> columns = new LinkedHashMap<>();
        columns.put("id", INT4);
        columns.put("feelings", array(MOOD));
        columns.put("home", ADDRESS);
        columns.put("homes", array(ADDRESS));

        assertThat(choose(columns).reason()).get().asString().startsWith("column feelings (display): an array of")
                .endsWith(" (and 2 more columns)");
    }

    @Test
    void onlyTheCopiedColumnsCount() {
        Server side = server(15, "UTF8", Map.of("id", INT4, "generated", REGCLASS));

        assertThat(BinaryCompatibility.decide(table(List.of("id")), side, side)).isEqualTo(Choice.BINARY);
    }

    @Test
    void anotherMajorVersionOrEncodingMakesEveryTableText() {
        Map<String, Type> columns = Map.of("id", INT4);
        SourceTable a = new SourceTable(1, TABLE, 1, 1, List.of("id"), false);
        SourceTable b = new SourceTable(2, TABLE, 1, 1, List.of("id"), false);

        Map<Long, Choice> versions = BinaryCompatibility.decide(List.of(a, b), server(14, "UTF8", columns),
                server(15, "UTF8", columns));
        Map<Long, Choice> encodings = BinaryCompatibility.decide(List.of(a, b), server(15, "LATIN1", columns),
                server(15, "UTF8", columns));

        assertThat(versions.values()).extracting(Choice::reason).containsOnly(Optional.of("the source is "
                + "PostgreSQL 14 and the target 15: binary forms are trusted only between servers of one major "
                + "version"));
        assertThat(encodings.values()).extracting(Choice::reason).allSatisfy(r -> assertThat(r).get().asString()
                .startsWith("the source database's encoding is LATIN1 and the target's UTF8"));
    }

    // ---- properties ----

    @Provide
    Arbitrary<Type> types() {
        Arbitrary<Type> leaves = Arbitraries.of(INT4, TEXT, FLOAT8, CHAR, JSONB, REGCLASS, REGTYPE, ACLITEM, MOOD,
                ADDRESS, HSTORE, HOMEMADE);
        return Arbitraries.recursive(() -> leaves, inner -> Arbitraries.oneOf(inner,
                inner.map(BinaryCompatibilityTest::domain),
                inner.map(BinaryCompatibilityTest::array),
                inner.map(BinaryCompatibilityTest::range),
                inner.map(t -> multirange(range(t)))), 0, 5);
    }

    /** The linear walk of the chain agrees with the recursive rules, for any nesting. */
    @Property(tries = 1000)
    void aColumnIsBinaryExactlyWhenItsTypeTreeIsSafe(@ForAll("types") Type type) {
        Optional<String> problem = BinaryCompatibility.typeProblem(type.chain(Step.COLUMN));

        assertThat(problem.isEmpty()).as("%s: %s", type, problem).isEqualTo(type.safe());
    }

    /**
     * A table is binary exactly when every copied column is; otherwise the reason names its first column in the way
     * and counts the others.
     */
    @Property(tries = 500)
    void aTableIsBinaryExactlyWhenEveryColumnIs(@ForAll("tables") List<Type> types) {
        Map<String, Type> columns = new LinkedHashMap<>();
        IntStream.range(0, types.size()).forEach(i -> columns.put("c" + i, types.get(i)));

        Choice choice = choose(columns);

        List<String> unsafe = columns.entrySet().stream().filter(e -> !e.getValue().safe()).map(Map.Entry::getKey)
                .toList();
        assertThat(choice.format()).isEqualTo(unsafe.isEmpty() ? CopyFormat.BINARY : CopyFormat.TEXT);
        assertThat(choice.reason().isPresent()).isEqualTo(!unsafe.isEmpty());
        if (!unsafe.isEmpty()) {
            assertThat(choice.reason().get()).startsWith("column " + unsafe.get(0) + " (");
            if (unsafe.size() == 1) {
                assertThat(choice.reason().get()).doesNotContain("more column");
            } else {
                assertThat(choice.reason().get()).endsWith(unsafe.size() == 2 ? "(and 1 more column)"
                        : "(and " + (unsafe.size() - 1) + " more columns)");
            }
        }
    }

    @Provide
    Arbitrary<List<Type>> tables() {
        return types().list().ofMaxSize(12);
    }

    /** Servers of two major versions: every table text with the same reason, whatever its columns. */
    @Property(tries = 200)
    void anotherMajorVersionOutweighsEveryColumn(@ForAll("tables") List<Type> types,
            @ForAll @IntRange(min = 12, max = 18) int sourceMajor, @ForAll @IntRange(min = 12, max = 18)
            int targetMajor) {
        Map<String, Type> columns = new LinkedHashMap<>();
        IntStream.range(0, types.size()).forEach(i -> columns.put("c" + i, types.get(i)));
        SourceTable t = table(List.copyOf(columns.keySet()));

        Choice choice = BinaryCompatibility.decide(List.of(t), server(sourceMajor, "UTF8", columns),
                server(targetMajor, "UTF8", columns)).get(t.oid());

        if (sourceMajor != targetMajor) {
            assertThat(choice.reason()).get().asString().startsWith("the source is PostgreSQL " + sourceMajor);
        } else {
            assertThat(choice).isEqualTo(choose(columns));
        }
    }

    /** The choice does not depend on which side is which. */
    @Property(tries = 300)
    void theFormatIsTheSameBothWays(@ForAll("types") Type a, @ForAll("types") Type b) {
        SourceTable t = table(List.of("c"));
        Server one = server(15, "UTF8", Map.of("c", a));
        Server other = server(15, "UTF8", Map.of("c", b));

        assertThat(BinaryCompatibility.decide(t, one, other).format())
                .isEqualTo(BinaryCompatibility.decide(t, other, one).format());
    }
}
