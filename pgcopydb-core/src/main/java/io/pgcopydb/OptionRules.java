package io.pgcopydb;

import static com.google.common.base.Preconditions.checkArgument;

/** The rules between options, checked when {@link CopyOptions} are built, where all values are known. */
final class OptionRules {
    private OptionRules() {
    }

    /** Throws {@link IllegalArgumentException} naming the first two options of {@code o} that contradict. */
    static void check(CopyOptions o) {
        checkArgument(!o.roles() || o.steps().filter(s -> !s.isEmpty()).isEmpty(),
                "with steps(…), name ROLES, not roles()");
        checkArgument(!o.noRolePasswords() || o.roles() || o.steps().filter(s -> s.contains(CopyStep.ROLES))
                .isPresent(), "noRolePasswords only applies with roles(true) or steps(ROLES)");
        checkArgument(!(o.resume() && o.restart()),
                "resume() continues the earlier copy and restart() discards it: use one");
        checkArgument(!(o.resume() && o.dropIfExists()), "resume() keeps what the earlier run copied and "
                + "dropIfExists() would drop it: use one");
        checkArgument(o.strategy() != Strategy.TEMPLATE || o.templateRefusal().isEmpty(), "strategy(TEMPLATE) "
                + "copies the whole database as it is, and %s asks otherwise: use strategy(STREAM) or AUTO",
                o.templateRefusal());
        checkArgument(!(o.snapshot().isPresent() && !o.consistent()), "snapshot(id) reads one snapshot and "
                + "notConsistent() reads none: use one");
    }
}
