package io.pgcopydb.internal.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.model.CopyFormat;
import io.pgcopydb.model.QualifiedName;
import io.pgcopydb.model.SourceTable;
import io.pgcopydb.model.TablePart;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The COPY statements of each format, for a whole table and a split part. */
class DefaultCopyStreamerTest {
    private static final SourceTable TABLE = new SourceTable(16384, new QualifiedName("public", "t"), 1L << 30, 10,
            List.of("id", "note"), false);
    private static final TablePart WHOLE = TablePart.whole(TABLE);
    private static final TablePart PART = new TablePart(TABLE, 2, 4, Optional.of("\"id\" >= 10 AND \"id\" < 20"));

    @Test
    void textIsCopysDefaultFormatAndAWholeTableIsFrozen() {
        assertThat(DefaultCopyStreamer.copyOutSql(WHOLE, CopyFormat.TEXT))
                .isEqualTo("COPY \"public\".\"t\" (\"id\", \"note\") TO STDOUT");
        assertThat(DefaultCopyStreamer.copyInSql(WHOLE, CopyFormat.TEXT))
                .isEqualTo("COPY \"public\".\"t\" (\"id\", \"note\") FROM STDIN WITH (FREEZE)");
        assertThat(DefaultCopyStreamer.copyOutSql(PART, CopyFormat.TEXT)).isEqualTo(
                "COPY (SELECT \"id\", \"note\" FROM ONLY \"public\".\"t\" WHERE \"id\" >= 10 AND \"id\" < 20) TO STDOUT");
        assertThat(DefaultCopyStreamer.copyInSql(PART, CopyFormat.TEXT))
                .isEqualTo("COPY \"public\".\"t\" (\"id\", \"note\") FROM STDIN");
    }

    @Test
    void binaryOnBothSidesWholeTablesStillFrozen() {
        assertThat(DefaultCopyStreamer.copyOutSql(WHOLE, CopyFormat.BINARY))
                .isEqualTo("COPY \"public\".\"t\" (\"id\", \"note\") TO STDOUT (FORMAT binary)");
        assertThat(DefaultCopyStreamer.copyInSql(WHOLE, CopyFormat.BINARY))
                .isEqualTo("COPY \"public\".\"t\" (\"id\", \"note\") FROM STDIN WITH (FORMAT binary, FREEZE)");
        assertThat(DefaultCopyStreamer.copyOutSql(PART, CopyFormat.BINARY)).isEqualTo("COPY (SELECT \"id\", \"note\" "
                + "FROM ONLY \"public\".\"t\" WHERE \"id\" >= 10 AND \"id\" < 20) TO STDOUT (FORMAT binary)");
        assertThat(DefaultCopyStreamer.copyInSql(PART, CopyFormat.BINARY))
                .isEqualTo("COPY \"public\".\"t\" (\"id\", \"note\") FROM STDIN WITH (FORMAT binary)");
    }
}
