package io.pgcopydb.testkit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

@PostgresPair(source = 12, target = 17)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgresPairVersionsIT {
    private static final List<DatabasePair> SEEN = new ArrayList<>();

    @Test
    @Order(1)
    void theClassAnnotationGivesServersOfItsVersions(DatabasePair pair) {
        SEEN.add(pair);
        assertThat(pair.source().server().serverVersionNum() / 10000).isEqualTo(12);
        assertThat(pair.target().server().serverVersionNum() / 10000).isEqualTo(17);
        pair.source().execute("CREATE TABLE t (id int); INSERT INTO t SELECT generate_series(1, 3)");
        assertThat(pair.source().queryForLong("SELECT count(*) FROM t")).isEqualTo(3);
    }

    @Test
    @Order(2)
    @PostgresPair(source = 17, target = 17)
    void theMethodAnnotationWinsAndOneVersionGetsTwoServers(DatabasePair pair) {
        SEEN.add(pair);
        assertThat(pair.source().server().serverVersionNum() / 10000).isEqualTo(17);
        assertThat(pair.target().server().serverVersionNum() / 10000).isEqualTo(17);
        assertThat(pair.source().server()).isNotSameAs(pair.target().server());
    }

    @Test
    @Order(3)
    void eachVersionIsStartedOncePerRun(DatabasePair pair) {
        DatabasePair first = SEEN.get(0);
        assertThat(pair.source().server()).as("the 12 server is reused").isSameAs(first.source().server());
        assertThat(pair.target().server()).as("the 17 server is reused").isSameAs(first.target().server());
        assertThat(SEEN.get(1).source().server()).as("the 17 source of a 17 pair is the run's 17 server")
                .isSameAs(first.target().server());
        assertThat(pair.source().name()).isNotEqualTo(first.source().name());
    }
}
