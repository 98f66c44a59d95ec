package io.pgcopydb.internal.data;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

class CopyFormatsTest {

    /** Binary is chosen per table whenever asked for, and by default exactly from 64 MB of tables. */
    @Property
    void binaryWhenAskedOrFromSixtyFourMegabytes(@ForAll boolean asked,
            @ForAll @LongRange(min = 0, max = 1L << 40) long bytes) {
        assertThat(CopyFormats.worthChoosing(asked, bytes)).isEqualTo(asked || bytes >= 64L * 1024 * 1024);
        assertThat(CopyFormats.worthChoosing(false, (64L << 20) - 1)).isFalse();
        assertThat(CopyFormats.worthChoosing(false, 64L << 20)).isTrue();
    }
}
