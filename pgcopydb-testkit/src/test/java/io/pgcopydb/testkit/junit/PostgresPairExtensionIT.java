package io.pgcopydb.testkit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresPairExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgresPairExtensionIT {
    private static final List<DatabasePair> SEEN = new ArrayList<>();
    private DatabasePair fromBeforeEach;

    @BeforeEach
    void remember(DatabasePair pair) {
        fromBeforeEach = pair;
    }

    @Test
    @Order(1)
    void givesTwoSeparateServersWithFreshDatabases(DatabasePair pair) {
        SEEN.add(pair);
        assertThat(pair).isSameAs(fromBeforeEach);
        assertThat(pair.source().server()).isNotSameAs(pair.target().server());
        assertThat(pair.source().server().port()).isNotEqualTo(pair.target().server().port());
        assertThat(pair.source().queryForLong("SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace"))
                .isZero();
        pair.source().execute("CREATE TABLE leftover (id int)");
    }

    @Test
    @Order(2)
    void eachTestGetsNewDatabasesAndTheOldOnesAreDropped(DatabasePair pair) {
        DatabasePair previous = SEEN.get(0);
        assertThat(pair.source().name()).isNotEqualTo(previous.source().name());
        assertThat(pair.source().server()).as("servers are shared across tests").isSameAs(previous.source().server());
        assertThat(pair.source().queryForLong("SELECT count(*) FROM pg_database WHERE datname = '"
                + previous.source().name() + "'")).isZero();
        assertThat(pair.source().queryForString("SELECT to_regclass('leftover')")).isNull();
    }
}
