package io.pgcopydb.internal.follow;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.internal.follow.ApplyTable.TargetColumn;
import io.pgcopydb.internal.follow.PgOutputMessage.Column;
import io.pgcopydb.internal.follow.PgOutputMessage.Relation;
import io.pgcopydb.internal.follow.PgOutputMessage.Update;
import io.pgcopydb.model.QualifiedName;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * What an update writes, whatever the table and the tuples: never an unchanged TOAST value (it would become NULL),
 * never a generated or identity-always column, never the key it is found by when the key did not change; one bound
 * value per placeholder.
 */
class RowChangeTest {

    /** One column: key, generated, identity always; the old and new value kinds (0 null, 1 unchanged, 2 text). */
    record Col(boolean key, boolean generated, boolean identity, int oldKind, int newKind) {
    }

    @Property(tries = 3000)
    void anUpdateNeverWritesWhatItMustNot(@ForAll("columns") List<Col> cols, @ForAll("identities") char identity,
            @ForAll("oldKinds") char oldKind) {
        boolean full = identity == 'f';
        List<Column> relationColumns = new ArrayList<>();
        List<TargetColumn> targets = new ArrayList<>();
        TupleData.Builder old = TupleData.builder(cols.size());
        TupleData.Builder row = TupleData.builder(cols.size());
        for (int i = 0; i < cols.size(); i++) {
            Col c = cols.get(i);
            relationColumns.add(new Column(full || c.key() ? 1 : 0, "c" + i, 25, -1));
            targets.add(new TargetColumn("\"c" + i + "\"", "text", c.generated(), c.identity(), false));
            set(old, i, c.oldKind(), "old" + i);
            set(row, i, c.newKind(), "new" + i);
        }
        char kind = full ? 'O' : oldKind;
        ApplyTable table = new ApplyTable(new Relation(1, "s", "t", identity, relationColumns),
                new QualifiedName("s", "t"), false, targets);
        RowChange change;
        try {
            change = RowChange.update(new ApplyStatements(table), new Update(1, kind, kind == 0 ? null : old.build(),
                    row.build()));
        } catch (ApplyException refused) {
            Assume.that(false); // a key not sent, or an identity column changed: refused with a remedy
            return;
        }
        if (change == null) {
            return;
        }
        String sql = change.sql().get();
        String set = sql.substring(sql.indexOf(" SET ") + 5, sql.indexOf(" WHERE "));
        for (int i = 0; i < cols.size(); i++) {
            Col c = cols.get(i);
            boolean inSet = set.contains("\"c" + i + "\" =");
            if (inSet) {
                assertThat(c.newKind()).as("column %d: an unchanged TOAST value is never written", i).isNotEqualTo(1);
                assertThat(c.generated() || c.identity()).as("column %d: generated or identity always", i).isFalse();
                assertThat(kind == 0 && c.key()).as("column %d: the unchanged key", i).isFalse();
            }
        }
        assertThat(sql.chars().filter(ch -> ch == '?').count()).isEqualTo(change.values().length);
        for (String v : change.values()) {
            assertThat(v == null || v.startsWith("old") || v.startsWith("new")).isTrue();
        }
    }

    private static void set(TupleData.Builder b, int i, int kind, String text) {
        switch (kind) {
            case 0 -> b.nullValue(i);
            case 1 -> b.unchanged(i);
            default -> b.text(i, text);
        }
    }

    @Provide
    Arbitrary<List<Col>> columns() {
        return Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(true, false, false, false),
                Arbitraries.of(true, false, false, false), Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, 2)).as(Col::new).list().ofMinSize(1).ofMaxSize(8);
    }

    @Provide
    Arbitrary<Character> identities() {
        return Arbitraries.of('d', 'i', 'f');
    }

    @Provide
    Arbitrary<Character> oldKinds() {
        return Arbitraries.of((char) 0, 'K');
    }
}
