package io.pgcopydb;

import java.util.Objects;
import java.util.Optional;

/**
 * Which {@link Strategy} a copy ran and why ({@link CopyReport#strategy()}).
 *
 * @param strategy {@link Strategy#TEMPLATE} or {@link Strategy#STREAM}, never {@code AUTO}
 * @param reason why, one line (for {@code AUTO} taking the stream, what kept it from the template)
 * @param createdTarget when the library created the target database: how (encoding, locale, owner), one line
 */
public record StrategyReport(Strategy strategy, String reason, Optional<String> createdTarget) {

    /** Checks the values. */
    public StrategyReport {
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(createdTarget, "createdTarget");
        if (strategy == Strategy.AUTO) {
            throw new IllegalArgumentException("a report names the strategy that ran, TEMPLATE or STREAM, was AUTO");
        }
    }

    /** The report of a run that streamed into an existing target: what every run did before strategies. */
    public static StrategyReport streamed(String reason) {
        return new StrategyReport(Strategy.STREAM, reason, Optional.empty());
    }

    /** One line: {@code template (same server, target created)}. */
    @Override
    public String toString() {
        return strategy.name().toLowerCase(java.util.Locale.ROOT) + " (" + reason
                + createdTarget.map(c -> "; " + c).orElse("") + ")";
    }
}
