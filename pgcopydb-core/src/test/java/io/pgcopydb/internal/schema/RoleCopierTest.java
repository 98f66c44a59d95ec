package io.pgcopydb.internal.schema;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RoleCopierTest {

    @Test
    void aNonSuperuserLeavesOutTheDefaultAttributesItMayNotName() {
        String dumped = "ALTER ROLE app WITH NOSUPERUSER INHERIT NOCREATEROLE NOCREATEDB LOGIN NOREPLICATION "
                + "NOBYPASSRLS PASSWORD 'SCRAM-SHA-256$4096:x'";

        assertThat(RoleCopier.withoutSuperuserDefaults(dumped)).isEqualTo(
                "ALTER ROLE app WITH INHERIT NOCREATEROLE NOCREATEDB LOGIN PASSWORD 'SCRAM-SHA-256$4096:x'");
    }

    @Test
    void positiveAttributesStaySoTheyFailLoudly() {
        assertThat(RoleCopier.withoutSuperuserDefaults("ALTER ROLE boss WITH SUPERUSER REPLICATION BYPASSRLS"))
                .isEqualTo("ALTER ROLE boss WITH SUPERUSER REPLICATION BYPASSRLS");
    }
}
