package io.pgcopydb.internal.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.internal.postgres.TocLine;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class PreDataListTest {
    private static final List<String> HEADER = List.of(";", "; Archive created at 2026-11-24 07:17:09 UTC",
            ";     dbname: src", ";", "; Selected TOC Entries:", ";");

    /** Which rule, if any, should comment an entry out. */
    enum Kind {
        DATABASE, SCHEMA, EXTENSION, EXTENSION_COMMENT, COLLATION, COLLATION_COMMENT, TABLE, TABLE_COMMENT, ACL,
        FUNCTION
    }

    /** One generated list entry and the object it stands for. */
    record Entry(Kind kind, String line, String schema) {
    }

    /** A generated source: its objects, the archive's list of them, and the target's schemas. */
    record Case(PreDataList.Source source, List<Entry> entries, Set<String> targetSchemas) {
        List<String> toc() {
            List<String> lines = new ArrayList<>(HEADER);
            entries.forEach(e -> lines.add(e.line()));
            return lines;
        }
    }

    @Provide
    Arbitrary<Case> cases() {
        // Names with spaces, quotes, dots and line breaks: the list prints them raw (line breaks as spaces).
        Arbitrary<String> name = Arbitraries.strings().withChars("abcXYZ _.\"\n").ofMinLength(1).ofMaxLength(8)
                .filter(s -> !s.isBlank());
        Arbitrary<List<String>> schemaNames = name.list().ofMinSize(1).ofMaxSize(5).uniqueElements()
                .map(l -> {
                    List<String> all = new ArrayList<>(l);
                    if (!all.contains("public")) {
                        all.add("public");
                    }
                    return all;
                });
        Arbitrary<String> owner = Arbitraries.of("postgres", "app owner", "alice");
        return Combinators.combine(schemaNames, name.list().ofMaxSize(3).uniqueElements(),
                        name.list().ofMaxSize(3).uniqueElements(), owner, Arbitraries.randoms(),
                        Arbitraries.integers().between(0, 30))
                .as((schemas, extensions, collations, anOwner, random, size) -> {
                    Map<Long, String> schemaByOid = new HashMap<>();
                    for (int i = 0; i < schemas.size(); i++) {
                        schemaByOid.put(16_000L + i, schemas.get(i));
                    }
                    Map<Long, PreDataList.Extension> extByOid = new HashMap<>();
                    for (int i = 0; i < extensions.size(); i++) {
                        extByOid.put(17_000L + i, new PreDataList.Extension(extensions.get(i),
                                quote(extensions.get(i)), schemas.get(i % schemas.size())));
                    }
                    Map<Long, PreDataList.Collation> collByOid = new HashMap<>();
                    for (int i = 0; i < collations.size(); i++) {
                        collByOid.put(18_000L + i, new PreDataList.Collation(schemas.get(i % schemas.size()),
                                collations.get(i), quote(collations.get(i)), i % 2 == 0 ? anOwner : "postgres"));
                    }
                    List<Entry> entries = new ArrayList<>();
                    int dumpId = 1;
                    for (int i = 0; i < size; i++) {
                        Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
                        String schema = schemas.get(random.nextInt(schemas.size()));
                        long schemaOid = 16_000L + schemas.indexOf(schema);
                        Entry e = switch (kind) {
                            case DATABASE -> new Entry(kind, dumpId + "; 1262 5 DATABASE - src postgres", null);
                            case SCHEMA -> new Entry(kind, dumpId + "; 2615 " + schemaOid + " SCHEMA - "
                                    + flat(schema) + " " + anOwner, schema);
                            case EXTENSION, EXTENSION_COMMENT -> {
                                if (extByOid.isEmpty()) {
                                    yield null;
                                }
                                long oid = 17_000L + random.nextInt(extByOid.size());
                                PreDataList.Extension x = extByOid.get(oid);
                                yield kind == Kind.EXTENSION
                                        ? new Entry(kind, dumpId + "; 3079 " + oid + " EXTENSION - " + flat(x.name())
                                                + " ", null)
                                        : new Entry(kind, dumpId + "; 0 0 COMMENT - EXTENSION " + flat(x.quotedName())
                                                + " ", null);
                            }
                            case COLLATION, COLLATION_COMMENT -> {
                                if (collByOid.isEmpty()) {
                                    yield null;
                                }
                                long oid = 18_000L + random.nextInt(collByOid.size());
                                PreDataList.Collation c = collByOid.get(oid);
                                yield kind == Kind.COLLATION
                                        ? new Entry(kind, dumpId + "; 3456 " + oid + " COLLATION " + flat(c.schema())
                                                + " " + flat(c.name()) + " " + c.owner(), null)
                                        : new Entry(kind, dumpId + "; 0 0 COMMENT " + flat(c.schema())
                                                + " COLLATION " + flat(c.quotedName()) + " " + c.owner(), null);
                            }
                            // Decoys: a table named like a collation or an extension must stay.
                            case TABLE -> new Entry(kind, dumpId + "; 1259 " + (19_000 + i) + " TABLE "
                                    + flat(schema) + " COLLATION x " + anOwner, null);
                            case TABLE_COMMENT -> new Entry(kind, dumpId + "; 0 0 COMMENT " + flat(schema)
                                    + " TABLE EXTENSION x " + anOwner, null);
                            case ACL -> new Entry(kind, dumpId + "; 0 0 ACL - SCHEMA " + flat(schema) + " "
                                    + anOwner, null);
                            case FUNCTION -> new Entry(kind, dumpId + "; 1255 " + (20_000 + i) + " FUNCTION "
                                    + flat(schema) + " f(integer) " + anOwner, null);
                        };
                        if (e != null) {
                            entries.add(e);
                            dumpId++;
                        }
                    }
                    Set<String> target = new HashSet<>();
                    for (String s : schemas) {
                        if (random.nextBoolean()) {
                            target.add(s);
                        }
                    }
                    return new Case(new PreDataList.Source(schemaByOid, extByOid, collByOid), entries, target);
                });
    }

    @Property(tries = 500)
    void commentsOutExactlyWhatTheRulesSkip(@ForAll("cases") Case c, @ForAll boolean skipExtensions,
            @ForAll boolean skipExtensionComments, @ForAll boolean skipCollations) {
        PreDataList.Rules rules = new PreDataList.Rules(skipExtensions, skipExtensionComments, skipCollations);

        List<String> out = PreDataList.filter(c.toc(), rules, c.source(), c.targetSchemas());

        assertThat(out).hasSize(HEADER.size() + c.entries().size());
        assertThat(out.subList(0, HEADER.size())).as("header comments untouched").isEqualTo(HEADER);
        for (int i = 0; i < c.entries().size(); i++) {
            Entry e = c.entries().get(i);
            boolean skip = switch (e.kind()) {
                case DATABASE -> true;
                case SCHEMA -> !e.schema().equals("public") && c.targetSchemas().contains(e.schema());
                case EXTENSION -> skipExtensions;
                case EXTENSION_COMMENT -> skipExtensions || skipExtensionComments;
                case COLLATION, COLLATION_COMMENT -> skipCollations;
                default -> false;
            };
            assertThat(out.get(HEADER.size() + i)).as("%s under %s", e, rules)
                    .isEqualTo(skip ? ";" + e.line() : e.line());
        }
    }

    @Property(tries = 200)
    void namesTheSkippedExtensionsAndCollationsOnlyWhenAsked(@ForAll("cases") Case c, @ForAll boolean skipExtensions,
            @ForAll boolean skipCollations) {
        PreDataList.Rules rules = new PreDataList.Rules(skipExtensions, false, skipCollations);
        long extensionEntries = c.entries().stream().filter(e -> e.kind() == Kind.EXTENSION).count();
        long collationEntries = c.entries().stream().filter(e -> e.kind() == Kind.COLLATION).count();

        assertThat(PreDataList.skippedExtensions(c.toc(), rules, c.source()))
                .hasSize(skipExtensions ? (int) extensionEntries : 0);
        assertThat(PreDataList.skippedCollations(c.toc(), rules, c.source()))
                .hasSize(skipCollations ? (int) collationEntries : 0);
    }

    @Test
    void pagilaStyleListWithEveryOption() {
        PreDataList.Source source = new PreDataList.Source(
                Map.of(2200L, "public", 16386L, "With a space", 16387L, "ext"),
                Map.of(16388L, new PreDataList.Extension("hstore", "hstore", "ext")),
                Map.of(16516L, new PreDataList.Collation("public", "test_icu", "test_icu", "postgres")));
        List<String> toc = List.of(
                "5; 2615 2200 SCHEMA - public postgres",
                "7; 2615 16386 SCHEMA - With a space postgres",
                "8; 2615 16387 SCHEMA - ext postgres",
                "2950; 3456 16516 COLLATION public test_icu postgres",
                "3458; 0 0 COMMENT public COLLATION test_icu postgres",
                "2; 3079 16388 EXTENSION - hstore ",
                "3459; 0 0 COMMENT - EXTENSION hstore ",
                "217; 1259 16517 TABLE With a space t alice",
                "3460; 0 0 COMMENT With a space TABLE t alice",
                "3450; 2613 4242 BLOB - 4242 alice",
                "3462; 0 0 COMMENT - LARGE OBJECT 4242 alice");

        List<String> out = PreDataList.filter(toc, new PreDataList.Rules(true, false, true), source,
                Set.of("public", "With a space"));

        assertThat(out).containsExactly(
                "5; 2615 2200 SCHEMA - public postgres",
                ";7; 2615 16386 SCHEMA - With a space postgres",
                "8; 2615 16387 SCHEMA - ext postgres",
                ";2950; 3456 16516 COLLATION public test_icu postgres",
                ";3458; 0 0 COMMENT public COLLATION test_icu postgres",
                ";2; 3079 16388 EXTENSION - hstore ",
                ";3459; 0 0 COMMENT - EXTENSION hstore ",
                "217; 1259 16517 TABLE With a space t alice",
                "3460; 0 0 COMMENT With a space TABLE t alice",
                "3450; 2613 4242 BLOB - 4242 alice",
                "3462; 0 0 COMMENT - LARGE OBJECT 4242 alice");
    }

    @Test
    void aSchemaIsFoundByOidEvenWhenItsOwnerHasASpace() {
        PreDataList.Source source = new PreDataList.Source(Map.of(16386L, "sales"), Map.of(), Map.of());
        TocLine e = TocLine.parse("7; 2615 16386 SCHEMA - sales app owner").orElseThrow();

        assertThat(PreDataList.schemaName(e, source)).isEqualTo("sales");
        assertThat(e.schemaName()).as("the name-only fallback cannot tell").isEqualTo("sales app");
    }

    private static String quote(String name) {
        return name.matches("[a-z_][a-z0-9_]*") ? name : '"' + name.replace("\"", "\"\"") + '"';
    }

    private static String flat(String name) {
        return name.replace('\n', ' ');
    }
}
