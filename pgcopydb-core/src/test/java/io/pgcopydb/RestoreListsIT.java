package io.pgcopydb;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.internal.postgres.TocLine;
import io.pgcopydb.internal.schema.RestoreWork;
import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import io.pgcopydb.testkit.server.Commands;
import io.pgcopydb.testkit.server.PostgresBinaries;
import io.pgcopydb.testkit.server.PostgresServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RestoreWork} against the real pg_restore, on the every-kind fixture's schema archive: a list it says
 * restores nothing in post-data makes {@code pg_restore --section=post-data} write no entry — for the list with only
 * the descriptions it takes for pre-data (which proves each of them is pre-data in pg_dump's archive), and for lists
 * with entries commented out at random, as the copy's filters do.
 */
@ExtendWith(PostgresPairExtension.class)
class RestoreListsIT {

    @Test
    void aListSaidToRestoreNothingInPostDataRestoresNothing(DatabasePair pair, @TempDir Path temp) throws Exception {
        EveryKindVariant.loadInto(pair, temp);
        PostgresServer server = pair.source().server();
        Path archive = temp.resolve("schema.dump");
        Commands.runOrThrow(List.of(tool("pg_dump"), "--format=custom", "--section=pre-data",
                "--section=post-data", "--file=" + archive, "--dbname=" + pair.source().uri()),
                server.clientEnvironment(), "pg_dump");
        List<String> toc = Commands.runOrThrow(List.of(tool("pg_restore"), "--list", archive.toString()),
                server.clientEnvironment(), "pg_restore --list").output().lines().toList();

        assertThat(RestoreWork.of(toc).restoresPostData(toc)).as("the whole list").isTrue();
        assertThat(postDataEntries(server, archive, toc, temp)).as("pg_restore on the whole list").isNotEmpty();

        List<String> preDataOnly = toc.stream().map(line -> entry(line) && !preData(line) ? ";" + line : line)
                .toList();
        assertThat(preDataOnly).as("pre-data entries listed").anyMatch(line -> entry(line));
        assertThat(RestoreWork.of(toc).restoresPostData(preDataOnly)).isFalse();
        assertThat(postDataEntries(server, archive, preDataOnly, temp)).as("restored from the pre-data-only list")
                .isEmpty();

        // As the copy's filters leave them: pre-data entries listed or not at random, entries without a section
        // (comments, privileges) too but fewer, of the others (indexes, constraints, triggers…) none, one or two.
        int saidNothing = 0;
        int saidSomething = 0;
        for (int seed = 0; seed < 36; seed++) {
            Random random = new Random(seed);
            double sectionless = new double[] {0.5, 0.1, 0.02, 0}[seed / 3 % 4];
            List<Integer> others = new ArrayList<>();
            for (int i = 0; i < toc.size(); i++) {
                if (entry(toc.get(i)) && !preData(toc.get(i)) && !withoutSection(toc.get(i))) {
                    others.add(i);
                }
            }
            List<Integer> listedOthers = new ArrayList<>();
            for (int k = seed % 3; k > 0; k--) {
                listedOthers.add(others.get(random.nextInt(others.size())));
            }
            List<String> list = new ArrayList<>();
            for (int i = 0; i < toc.size(); i++) {
                String line = toc.get(i);
                boolean listed = !entry(line) || listedOthers.contains(i)
                        || preData(line) && random.nextBoolean()
                        || withoutSection(line) && random.nextDouble() < sectionless;
                list.add(listed ? line : ";" + line);
            }
            if (RestoreWork.of(toc).restoresPostData(list)) {
                saidSomething++;
            } else {
                saidNothing++;
                assertThat(postDataEntries(server, archive, list, temp)).as("seed %d", seed).isEmpty();
            }
        }
        assertThat(saidSomething).as("random lists said to restore something").isPositive();
        assertThat(saidNothing).as("random lists said to restore nothing").isPositive();
    }

    private static boolean entry(String line) {
        return line.matches("^\\d+; \\d+ \\d+ .*");
    }

    private static boolean withoutSection(String line) {
        return TocLine.parse(line).map(e -> RestoreWork.NO_SECTION.contains(e.description())).orElse(false);
    }

    private static boolean preData(String line) {
        return TocLine.parse(line).map(e -> RestoreWork.PRE_DATA.contains(e.description())).orElse(false);
    }

    /** The "-- Name:" lines of the script {@code pg_restore --section=post-data --use-list} writes: one per entry. */
    private static List<String> postDataEntries(PostgresServer server, Path archive, List<String> list, Path temp)
            throws Exception {
        Path listFile = Files.createTempFile(temp, "post-data", ".list");
        Files.write(listFile, list, StandardCharsets.UTF_8);
        String script = Commands.runOrThrow(List.of(tool("pg_restore"), "--section=post-data",
                "--use-list=" + listFile, "--file=-", archive.toString()), server.clientEnvironment(),
                "pg_restore --section=post-data").output();
        List<String> names = new ArrayList<>();
        script.lines().filter(l -> l.startsWith("-- Name: ")).forEach(names::add);
        return names;
    }

    private static String tool(String name) {
        return PostgresBinaries.locate().tool(name).toString();
    }
}
