package io.pgcopydb.internal.compare;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.compare.Difference;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NewPrivilegesTest {
    private static final String OWNER_12 = "(owner)=DELETE,INSERT,REFERENCES,SELECT,TRIGGER,TRUNCATE,UPDATE by (owner)";
    private static final String OWNER_17 = "(owner)=DELETE,INSERT,MAINTAIN,REFERENCES,SELECT,TRIGGER,TRUNCATE,UPDATE by (owner)";

    @Test
    void theOwnersDefaultMaintainOf17IsNotADifferenceFromA12Source() {
        SchemaComparer.Result result = diff(120022, OWNER_12, 170005, OWNER_17);

        assertThat(result.differences()).isEmpty();
    }

    @Test
    void betweenTwoServersThatHaveMaintainALostGrantIsStillReported() {
        SchemaComparer.Result result = diff(170005, OWNER_17 + "; reader=MAINTAIN by (owner)", 180000, OWNER_17);

        assertThat(result.differences()).extracting(Difference::toString).singleElement().asString()
                .contains("reader=MAINTAIN");
    }

    @Test
    void otherPrivilegesStillDifferAcrossVersions() {
        SchemaComparer.Result result = diff(120022, OWNER_12, 170005, OWNER_17 + "; reader=SELECT by (owner)");

        assertThat(result.differences()).extracting(Difference::toString).singleElement().asString()
                .contains("reader=SELECT");
    }

    @Test
    void aGranteeLeftWithNoPrivilegeIsLeftOutAndGrantOptionsCount() {
        assertThat(NewPrivileges.without("(owner)=MAINTAIN*,SELECT* by (owner); ops=MAINTAIN by (owner)",
                List.of("MAINTAIN"))).isEqualTo("(owner)=SELECT* by (owner)");
        assertThat(NewPrivileges.without("", List.of("MAINTAIN"))).isEmpty();
    }

    private static SchemaComparer.Result diff(int sourceVersion, String sourceAcl, int targetVersion, String targetAcl) {
        SchemaSnapshot source = new SchemaSnapshot(sourceVersion);
        source.add("table public.film", List.of(), Map.of("owner", "app", "acl", sourceAcl));
        SchemaSnapshot target = new SchemaSnapshot(targetVersion);
        target.add("table public.film", List.of(), Map.of("owner", "app", "acl", targetAcl));
        return SchemaDiff.diff(NewPrivileges.withoutUnknownTo(source, targetVersion),
                NewPrivileges.withoutUnknownTo(target, sourceVersion));
    }
}
