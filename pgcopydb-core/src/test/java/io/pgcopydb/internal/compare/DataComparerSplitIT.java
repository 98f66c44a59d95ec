package io.pgcopydb.internal.compare;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.compare.Difference;
import io.pgcopydb.compare.TableComparison;
import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.filter.Filters;
import io.pgcopydb.internal.compare.TableChecksums.TableFigures;
import io.pgcopydb.internal.compare.TableChecksums.TablePair;
import io.pgcopydb.internal.run.RunThreads;
import io.pgcopydb.model.Side;
import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import io.pgcopydb.testkit.server.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Large tables compared in parts by key ranges: forced here with a split size of one byte, so that small tables
 * are cut as a 64 MB one would be.
 */
@ExtendWith(PostgresPairExtension.class)
class DataComparerSplitIT {
    private static final String FIXTURE = """
            CREATE TABLE big (id int PRIMARY KEY, v text);
            INSERT INTO big SELECT g, md5(g::text) FROM generate_series(-500, 20000) g;
            CREATE TABLE plain (v text);
            INSERT INTO plain SELECT md5(g::text) FROM generate_series(1, 3000) g;
            """;

    @Test
    void partsAddUpToTheWholeTable(DatabasePair pair) {
        pair.source().execute(FIXTURE);
        pair.target().execute(FIXTURE);

        List<TableFigures> figures = figures(pair, 1);

        TableFigures big = figures.stream().filter(f -> f.pair().name().name().equals("big")).findFirst().orElseThrow();
        TableFigures plain = figures.stream().filter(f -> f.pair().name().name().equals("plain")).findFirst()
                .orElseThrow();
        assertThat(big.parts()).as("a keyed table is cut").isEqualTo(TableChecksums.MAX_PARTS);
        assertThat(plain.parts()).as("a table without a key is read whole").isEqualTo(1);
        assertThat(big.source().orElseThrow().rows()).isEqualTo(20501);
        assertThat(big.identical()).isTrue();
        TableFigures whole = figures(pair, Long.MAX_VALUE).stream().filter(f -> f.pair().name().name().equals("big"))
                .findFirst().orElseThrow();
        assertThat(whole.parts()).isEqualTo(1);
        assertThat(whole.source()).as("the parts' figures add up to the whole table's").isEqualTo(big.source());
    }

    @Test
    void rowsChangedInTheOpenEndedPartsAndInTheMiddleAreFound(DatabasePair pair) {
        pair.source().execute(FIXTURE);
        pair.target().execute(FIXTURE + "DELETE FROM big WHERE id = -500; UPDATE big SET v = 'x' WHERE id = 17017;"
                + " INSERT INTO big VALUES (20001, 'beyond')");

        DataComparer.Result split = DataComparer.compare(request(pair), CompareScope.everything(), 1);
        DataComparer.Result whole = DataComparer.compare(request(pair), CompareScope.everything(), Long.MAX_VALUE);

        assertThat(split.differences()).extracting(Difference::aspect).containsExactly(
                "rows in id >= -500 AND id < 0", "rows in id >= 17000 AND id < 18000", "rows in id >= 20000 AND id < 20002");
        assertThat(split.differences()).isEqualTo(whole.differences());
        assertThat(split.tables()).extracting(TableComparison::targetRows).containsExactly(20501L, 3000L);
        assertThat(split.rowsCompared()).isEqualTo(20501 + 3000);
    }

    private static List<TableFigures> figures(DatabasePair pair, long splitBytes) {
        try (RunThreads threads = new RunThreads("split-test");
             DataSide source = DataSide.open(Side.SOURCE, spec(pair.source()), Optional.empty(), 3, threads);
             DataSide target = DataSide.open(Side.TARGET, spec(pair.target()), Optional.empty(), 3, threads)) {
            var s = source.onHolder("catalog", DataCatalog::relations);
            var t = target.onHolder("catalog", DataCatalog::relations);
            List<TablePair> pairs = new ArrayList<>();
            s.keySet().forEach(n -> pairs.add(new TablePair(n, Optional.of(s.get(n)), Optional.ofNullable(t.get(n)))));
            return TableChecksums.start(source, target, pairs, splitBytes).join();
        }
    }

    private static CompareRequest request(DatabasePair pair) {
        return new CompareRequest(spec(pair.source()), spec(pair.target()), Filters.none(), 2, false, true);
    }

    private static ConnectionSpec spec(TestDatabase db) {
        return ConnectionSpec.jdbc(db.jdbcUrl(), db.server().user(), db.server().password().orElse(null));
    }
}
