package io.pgcopydb.internal.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A handle's {@code close()} gives its connection back once: given back twice, one backend would serve two units.
 * No connection is needed to close a handle (its connection is null here).
 */
class PooledConnectionTest {

    @Test
    void closedTwiceTheConnectionIsGivenBackOnce() throws SQLException {
        AtomicInteger givenBack = new AtomicInteger();
        PooledConnection handle = new PooledConnection(null, c -> givenBack.incrementAndGet());
        handle.close();
        handle.close();
        assertThat(givenBack.get()).isEqualTo(1);
        assertThat(handle.isClosed()).isTrue();
    }

    @Test
    void aClosedHandleRefusesToBeUsed() {
        PooledConnection handle = new PooledConnection(null, c -> { });
        handle.close();

        assertThatThrownBy(handle::createStatement).isInstanceOf(SQLException.class)
                .hasMessage("This connection has been closed.");
        assertThatThrownBy(() -> handle.setClientInfo("ApplicationName", "x"))
                .isInstanceOf(java.sql.SQLClientInfoException.class);
    }
}
