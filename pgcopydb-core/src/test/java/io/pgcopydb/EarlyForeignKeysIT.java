package io.pgcopydb;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Foreign keys between two plain tables are added in the data step as soon as both tables are complete, the others
 * by the post-data restore as before; either way the target's schema and rows are the source's: keys in both
 * directions between two tables, a table referencing itself, a key on a UNIQUE constraint, a deferrable key with a
 * comment. Left to post-data: a NOT VALID key (its rows need not pass), keys to and from a partitioned table; and
 * every key when the run is filtered.
 */
@ExtendWith(PostgresPairExtension.class)
class EarlyForeignKeysIT {
    private static final Pattern ADDED = Pattern.compile("foreign key (\\S+) on \\S+ added in the data step");

    @Test
    void plainTablesKeysComeInTheDataStepTheOthersInPostDataAndTheCopyIsExact(DatabasePair pair) {
        pair.source().execute("""
                CREATE TABLE parent (id int PRIMARY KEY, code text UNIQUE);
                INSERT INTO parent SELECT g, 'c' || g FROM generate_series(1, 1000) g;
                CREATE TABLE child (id int PRIMARY KEY, parent_id int, code text,
                  CONSTRAINT child_parent_fk FOREIGN KEY (parent_id) REFERENCES parent DEFERRABLE INITIALLY DEFERRED,
                  CONSTRAINT child_code_fk FOREIGN KEY (code) REFERENCES parent (code) ON DELETE SET NULL);
                COMMENT ON CONSTRAINT child_parent_fk ON child IS 'every child has a parent';
                INSERT INTO child SELECT g, g % 1000 + 1, 'c' || (g % 1000 + 1) FROM generate_series(1, 5000) g;
                CREATE TABLE a (id int PRIMARY KEY, b_id int);
                CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a);
                ALTER TABLE a ADD CONSTRAINT a_b_fk FOREIGN KEY (b_id) REFERENCES b;
                INSERT INTO a SELECT g, NULL FROM generate_series(1, 100) g;
                INSERT INTO b SELECT g, g FROM generate_series(1, 100) g;
                UPDATE a SET b_id = id;
                CREATE TABLE node (id int PRIMARY KEY, up int REFERENCES node);
                INSERT INTO node VALUES (1, NULL), (2, 1), (3, 2);
                CREATE TABLE loose (id int, parent_id int);
                INSERT INTO loose VALUES (1, 1), (2, 999999);
                ALTER TABLE loose ADD CONSTRAINT loose_parent_fk FOREIGN KEY (parent_id) REFERENCES parent NOT VALID;
                CREATE TABLE part (id int PRIMARY KEY, parent_id int REFERENCES parent) PARTITION BY RANGE (id);
                CREATE TABLE part_1 PARTITION OF part FOR VALUES FROM (0) TO (1000);
                INSERT INTO part SELECT g, g FROM generate_series(1, 999) g;
                CREATE TABLE to_part (id int, part_id int REFERENCES part);
                INSERT INTO to_part VALUES (1, 1)""");

        String log = LogCapture.capture(() -> CopyAssertions.copy(pair, new RecordingListener(), b -> b));

        assertThat(added(log)).as("keys added in the data step").containsExactlyInAnyOrder(
                "child_parent_fk", "child_code_fk", "a_b_fk", "b_a_id_fkey", "node_up_fkey");
        CopyAssertions.assertIdentical(pair);
        assertThat(pair.target().queryForString("SELECT obj_description(oid, 'pg_constraint') FROM pg_constraint "
                + "WHERE conname = 'child_parent_fk'")).isEqualTo("every child has a parent");
        assertThat(pair.target().queryForString("SELECT string_agg(conname || ' ' || convalidated, ', ' ORDER BY "
                + "conname) FROM pg_constraint WHERE contype = 'f' AND conparentid = 0 AND conname IN ('loose_parent_fk', "
                + "'part_parent_id_fkey', 'to_part_part_id_fkey')"))
                .isEqualTo("loose_parent_fk false, part_parent_id_fkey true, to_part_part_id_fkey true");
    }

    @Test
    void aFilteredRunLeavesEveryKeyToPostData(DatabasePair pair) {
        pair.source().execute("""
                CREATE TABLE parent (id int PRIMARY KEY);
                INSERT INTO parent SELECT generate_series(1, 10);
                CREATE TABLE child (id int PRIMARY KEY, parent_id int REFERENCES parent);
                INSERT INTO child SELECT g, g FROM generate_series(1, 10) g;
                CREATE TABLE other (id int)""");

        String log = LogCapture.capture(() -> CopyAssertions.copy(pair, new RecordingListener(),
                b -> b.filter(io.pgcopydb.filter.Filters.none().excludeTable("public.other"))));

        assertThat(added(log)).isEmpty();
        assertThat(pair.target().queryForString("SELECT count(*) FROM pg_constraint WHERE contype = 'f'"))
                .isEqualTo("1");
    }

    private static java.util.List<String> added(String log) {
        Matcher m = ADDED.matcher(log);
        return m.results().map(r -> r.group(1)).collect(Collectors.toList());
    }
}
