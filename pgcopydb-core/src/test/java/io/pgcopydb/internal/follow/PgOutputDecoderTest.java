package io.pgcopydb.internal.follow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgcopydb.internal.follow.PgOutputMessage.Begin;
import io.pgcopydb.internal.follow.PgOutputMessage.Column;
import io.pgcopydb.internal.follow.PgOutputMessage.Commit;
import io.pgcopydb.internal.follow.PgOutputMessage.Delete;
import io.pgcopydb.internal.follow.PgOutputMessage.Insert;
import io.pgcopydb.internal.follow.PgOutputMessage.Message;
import io.pgcopydb.internal.follow.PgOutputMessage.Origin;
import io.pgcopydb.internal.follow.PgOutputMessage.Relation;
import io.pgcopydb.internal.follow.PgOutputMessage.Truncate;
import io.pgcopydb.internal.follow.PgOutputMessage.Type;
import io.pgcopydb.internal.follow.PgOutputMessage.Update;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

/** pgoutput version 1: whatever the test's encoder writes from the documentation, the decoder reads back equal. */
class PgOutputDecoderTest {

    @Property(tries = 2000)
    void everyMessageDecodesToWhatWasEncoded(@ForAll("messages") PgOutputMessage message) {
        assertThat(PgOutputDecoder.decode(PgOutputEncoder.encode(message))).isEqualTo(message);
    }

    @Property(tries = 300)
    void aTruncatedMessageIsRefusedNeverMisread(@ForAll("messages") PgOutputMessage message) {
        byte[] bytes = PgOutputEncoder.encode(message);
        for (int cut = 1; cut < bytes.length; cut++) {
            byte[] shorter = Arrays.copyOf(bytes, cut);
            assertThatThrownBy(() -> PgOutputDecoder.decode(shorter)).as("cut at %d of %d", cut, bytes.length)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void binaryColumnsAreRefusedWithTheRemedy() {
        byte[] insert = {'I', 0, 0, 0, 7, 'N', 0, 1, 'b', 0, 0, 0, 1, 42};
        assertThatThrownBy(() -> PgOutputDecoder.decode(insert)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("binary").hasMessageContaining("without the binary option");
    }

    @Test
    void streamedMessagesAreRefusedByName() {
        assertThatThrownBy(() -> PgOutputDecoder.decode(new byte[] {'S', 0, 0, 0, 1, 1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown type 'S'")
                .hasMessageContaining("proto_version 1");
    }

    @Test
    void truncateFlagsReadAsTheSourceSentThem() {
        Truncate t = (Truncate) PgOutputDecoder.decode(PgOutputEncoder.encode(new Truncate(3, List.of(1, 2))));
        assertThat(t.cascade()).isTrue();
        assertThat(t.restartIdentity()).isTrue();
        assertThat(new Truncate(2, List.of(1)).cascade()).isFalse();
    }

    @Provide
    Arbitrary<PgOutputMessage> messages() {
        Arbitrary<Long> lsn = Arbitraries.longs();
        Arbitrary<Integer> oid = Arbitraries.integers();
        return Arbitraries.oneOf(
                Combinators.combine(lsn, lsn, oid).as(Begin::new),
                Combinators.combine(Arbitraries.integers().between(0, 127), lsn, lsn, lsn).as(Commit::new),
                Combinators.combine(lsn, names()).as(Origin::new),
                Combinators.combine(oid, names(), names(), Arbitraries.of('d', 'n', 'f', 'i'),
                        columns().list().ofMaxSize(20)).as(Relation::new),
                Combinators.combine(oid, names(), names()).as(Type::new),
                Combinators.combine(oid, tuples()).as(Insert::new),
                Combinators.combine(oid, Arbitraries.of('K', 'O'), tuples(), tuples()).as(Update::new),
                Combinators.combine(oid, tuples()).as((o, t) -> new Update(o, (char) 0, null, t)),
                Combinators.combine(oid, Arbitraries.of('K', 'O'), tuples()).as(Delete::new),
                Combinators.combine(Arbitraries.integers().between(0, 3), oid.list().ofMaxSize(10)).as(Truncate::new),
                Combinators.combine(Arbitraries.of(0, 1), lsn, names(), Arbitraries.bytes().array(byte[].class)
                        .ofMaxSize(50)).as(Message::new));
    }

    private static Arbitrary<String> names() {
        return Arbitraries.strings().withCharRange('\u0001', '\uD7FF').ofMaxLength(30);
    }

    private static Arbitrary<Column> columns() {
        return Combinators.combine(Arbitraries.of(0, 1), names(), Arbitraries.integers(), Arbitraries.integers())
                .as(Column::new);
    }

    private static Arbitrary<TupleData> tuples() {
        Arbitrary<String> text = Arbitraries.strings().withCharRange('\u0000', '\uD7FF').ofMaxLength(60);
        Arbitrary<String> value = Arbitraries.frequencyOf(Tuple.of(6, text), Tuple.of(1, Arbitraries.just("\0n")),
                Tuple.of(1, Arbitraries.just("\0u")));
        return value.list().ofMaxSize(12).map(values -> {
            TupleData.Builder b = TupleData.builder(values.size());
            for (int i = 0; i < values.size(); i++) {
                String v = values.get(i);
                if (v.equals("\0n")) {
                    b.nullValue(i);
                } else if (v.equals("\0u")) {
                    b.unchanged(i);
                } else {
                    b.text(i, v);
                }
            }
            return b.build();
        });
    }
}
