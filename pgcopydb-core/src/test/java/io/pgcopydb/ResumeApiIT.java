package io.pgcopydb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pgcopydb.model.TablePart;
import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Resume through the API alone: a cancelled copy says where its work directory is and that it can be resumed,
 * the builder finds the interrupted copy of the pair, and a resume finishes it — no message is parsed.
 */
@ExtendWith(PostgresPairExtension.class)
class ResumeApiIT {

    @Test
    void aCancelledCopyIsFoundAndResumedThroughTheApi(DatabasePair pair) throws Exception {
        pair.source().execute("""
                CREATE TABLE public.big (id bigint PRIMARY KEY, payload text NOT NULL);
                INSERT INTO public.big SELECT g, repeat(md5(g::text), 8) FROM generate_series(1, 1500000) g;
                CREATE TABLE public.small (id int PRIMARY KEY);
                INSERT INTO public.small SELECT generate_series(1, 10);
                """);
        CountDownLatch smallCopied = new CountDownLatch(1);
        CopyListener onSmall = new CopyListener() {
            @Override
            public void tableCopyFinished(TablePart part, long rows, long bytes, java.time.Duration duration) {
                if (part.table().name().name().equals("small")) {
                    smallCopied.countDown();
                }
            }
        };
        CopyBuilder first = copy(pair).jobs(2).listener(onSmall);
        assertThat(first.interruptedCopy()).as("nothing to resume before the first run").isEmpty();
        CopyExecution execution = first.start();
        assertThat(smallCopied.await(60, TimeUnit.SECONDS)).isTrue();
        execution.cancel();
        PgCopyException e = catchThrowableOfType(PgCopyException.class, execution::await);

        assertThat(e.code()).isEqualTo(ErrorCode.CANCELLED);
        CopyReport cancelled = e.partialReport().orElseThrow();
        assertThat(cancelled.resumable()).isTrue();
        Path kept = cancelled.workDirectory().orElseThrow();
        assertThat(kept).as("the pair's default directory").isEqualTo(first.options().workDirectory())
                .isDirectory();
        assertThat(first.options().defaultWorkDirectory()).isTrue();

        CopyBuilder second = copy(pair);
        InterruptedCopy found = second.interruptedCopy().orElseThrow();
        assertThat(found.workDirectory()).isEqualTo(kept);
        assertThat(found.unitsFinished()).as("at least small's COPY").isPositive();
        assertThat(found.startedAt()).isPresent();

        CopyReport resumed = second.resume().notConsistent().run();

        assertThat(resumed.succeeded()).isTrue();
        assertThat(resumed.resumable()).isFalse();
        assertThat(resumed.workDirectory()).as("the default directory is removed after success").isEmpty();
        assertThat(Files.exists(kept)).isFalse();
        assertThat(copy(pair).interruptedCopy()).isEmpty();
        CopyAssertions.assertIdentical(pair);
    }

    private static CopyBuilder copy(DatabasePair pair) {
        return DatabaseCopy.from(CopyAssertions.spec(pair.source())).to(CopyAssertions.spec(pair.target()));
    }
}
