package io.pgcopydb.compare;

/**
 * What a comparison leaves out on purpose, for copies made with an option that does not copy it: a copy with
 * {@code noOwner()} gives every object the target's connecting role, so its owners differ from the source's by
 * design. {@link DatabaseCompare#ignoring(Ignore...)} takes them; {@code verify()} on a copy ignores exactly what
 * the copy's options left out.
 */
public enum Ignore {
    /** Owners of every object ({@code noOwner()}). */
    OWNERS,
    /** Privileges: ACLs, column grants, default privileges ({@code noAcl()}). */
    ACLS,
    /** Comments on every object ({@code noComments()}). */
    COMMENTS,
    /** Comments on extensions ({@code skipExtensionComments()}). */
    EXTENSION_COMMENTS,
    /** Extensions: which exist, their versions and schemas ({@code skipExtensions()}). */
    EXTENSIONS,
    /** Collations ({@code skipCollations()}). */
    COLLATIONS,
    /**
     * {@code ALTER DATABASE … SET} and {@code ALTER ROLE … IN DATABASE … SET} settings
     * ({@code skipDbProperties()}).
     */
    DATABASE_SETTINGS,
    /** Large objects ({@code skipLargeObjects()}). */
    LARGE_OBJECTS
}
