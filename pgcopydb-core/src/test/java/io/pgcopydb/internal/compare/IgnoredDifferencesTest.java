package io.pgcopydb.internal.compare;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.compare.Difference;
import io.pgcopydb.compare.Difference.Area;
import io.pgcopydb.compare.Ignore;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IgnoredDifferencesTest {
    private static final Difference OWNER = changed(Area.SCHEMA, "table public.film", "owner");
    private static final Difference LO_OWNER = changed(Area.DATA, "large object 4242", "owner");
    private static final Difference ACL = changed(Area.SCHEMA, "column public.film.title", "acl");
    private static final Difference DEFAULT_ACL = Difference.missingOnTarget(Area.SCHEMA,
            "default privileges of role app on tables", "SELECT to PUBLIC");
    private static final Difference COMMENT = changed(Area.SCHEMA, "index public.film_pkey", "comment");
    private static final Difference EXTENSION_COMMENT = changed(Area.SCHEMA, "extension hstore", "comment");
    private static final Difference EXTENSION = Difference.missingOnTarget(Area.SCHEMA, "extension hstore", "1.8");
    private static final Difference COLLATION = Difference.missingOnTarget(Area.SCHEMA, "collation public.de", "icu");
    private static final Difference DATABASE_SETTING = changed(Area.SCHEMA, "database setting work_mem", "value");
    private static final Difference ROLE_SETTING = Difference.missingOnTarget(Area.SCHEMA,
            "role app setting statement_timeout", "5s");
    private static final Difference LARGE_OBJECT = changed(Area.DATA, "large object 4242", "data");
    private static final Difference ROWS = changed(Area.DATA, "rows of public.film", "rows");
    private static final Difference DEFAULT = changed(Area.SCHEMA, "column public.film.title", "default");
    private static final Difference ROLE_TABLE = changed(Area.SCHEMA, "table public.role setting", "definition");

    private static final List<Difference> ALL = List.of(OWNER, LO_OWNER, ACL, DEFAULT_ACL, COMMENT, EXTENSION_COMMENT,
            EXTENSION, COLLATION, DATABASE_SETTING, ROLE_SETTING, LARGE_OBJECT, ROWS, DEFAULT, ROLE_TABLE);

    @Test
    void nothingIgnoredKeepsEverything() {
        assertThat(IgnoredDifferences.without(Set.of(), ALL)).isEqualTo(ALL);
    }

    @Test
    void eachIgnoreLeavesOutExactlyItsKind() {
        assertThat(left(Ignore.OWNERS)).containsExactly(OWNER, LO_OWNER);
        assertThat(left(Ignore.ACLS)).containsExactly(ACL, DEFAULT_ACL);
        assertThat(left(Ignore.COMMENTS)).containsExactly(COMMENT, EXTENSION_COMMENT);
        assertThat(left(Ignore.EXTENSION_COMMENTS)).containsExactly(EXTENSION_COMMENT);
        assertThat(left(Ignore.EXTENSIONS)).containsExactly(EXTENSION_COMMENT, EXTENSION);
        assertThat(left(Ignore.COLLATIONS)).containsExactly(COLLATION);
        assertThat(left(Ignore.DATABASE_SETTINGS)).containsExactly(DATABASE_SETTING, ROLE_SETTING);
        assertThat(left(Ignore.LARGE_OBJECTS)).containsExactly(LO_OWNER, LARGE_OBJECT);
    }

    @Test
    void everythingIgnoredStillKeepsRowsDefinitionsAndDefaults() {
        assertThat(IgnoredDifferences.without(EnumSet.allOf(Ignore.class), ALL))
                .containsExactly(ROWS, DEFAULT, ROLE_TABLE);
    }

    private static List<Difference> left(Ignore ignore) {
        return ALL.stream().filter(d -> !IgnoredDifferences.without(Set.of(ignore), List.of(d)).contains(d)).toList();
    }

    private static Difference changed(Area area, String object, String aspect) {
        return Difference.changed(area, object, aspect, "a", "b");
    }
}
