package io.pgcopydb.internal.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcedureArgumentsTest {
    private static final String ON_12 = "CREATE OR REPLACE PROCEDURE public.archive_orders(cutoff timestamp with time zone)"
            + " LANGUAGE plpgsql AS $procedure$ BEGIN DELETE FROM public.orders WHERE ordered_at < cutoff; END $procedure$";
    private static final String ON_17 = "CREATE OR REPLACE PROCEDURE public.archive_orders(IN cutoff timestamp with time zone)"
            + " LANGUAGE plpgsql AS $procedure$ BEGIN DELETE FROM public.orders WHERE ordered_at < cutoff; END $procedure$";

    @Test
    void theInModeA14ServerPrintsIsNotADifferenceFromA12Source() {
        assertThat(diff(120022, ON_12, 170005, ON_17).differences()).isEmpty();
    }

    @Test
    void aRealChangeOfAProcedureIsStillReported() {
        assertThat(diff(120022, ON_12, 170005, ON_17.replace("<", ">")).differences()).hasSize(1);
    }

    @Test
    void onlyInIsTakenOutOfTheArgumentListAndNothingAfterIt() {
        assertThat(ProcedureArguments.withoutInModes(
                "CREATE PROCEDURE p(IN a integer DEFAULT f(1, 2), INOUT b text, IN c text DEFAULT 'x,)y')"
                        + " LANGUAGE sql AS $$ SELECT 'IN a' $$"))
                .isEqualTo("CREATE PROCEDURE p(a integer DEFAULT f(1, 2), INOUT b text, c text DEFAULT 'x,)y')"
                        + " LANGUAGE sql AS $$ SELECT 'IN a' $$");
    }

    @Test
    void betweenServersOnTheSameSideOf14NothingChanges() {
        SchemaSnapshot target = new SchemaSnapshot(170005);
        target.add("procedure public.p()", List.of(), Map.of("definition", ON_17));
        assertThat(ProcedureArguments.comparableWith(target, 140018)).isSameAs(target);
        assertThat(ProcedureArguments.comparableWith(target, 0)).isSameAs(target);
    }

    private static SchemaComparer.Result diff(int sourceVersion, String sourceSql, int targetVersion, String targetSql) {
        SchemaSnapshot source = new SchemaSnapshot(sourceVersion);
        source.add("procedure public.archive_orders(timestamp with time zone)", List.of(), Map.of("definition", sourceSql));
        SchemaSnapshot target = new SchemaSnapshot(targetVersion);
        target.add("procedure public.archive_orders(timestamp with time zone)", List.of(), Map.of("definition", targetSql));
        return SchemaDiff.diff(ProcedureArguments.comparableWith(source, targetVersion),
                ProcedureArguments.comparableWith(target, sourceVersion));
    }
}
