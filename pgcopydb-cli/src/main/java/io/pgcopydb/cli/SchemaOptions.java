package io.pgcopydb.cli;

import io.pgcopydb.CopyBuilder;
import picocli.CommandLine.Option;

/**
 * pgcopydb's options about what of the schema comes across and how: roles, owners, privileges, comments,
 * extensions, collations, database properties, and dropping an older copy first. Each may also be switched on by
 * its environment variable ({@link EnvironmentDefaults}: {@code PGCOPYDB_DROP_IF_EXISTS=true}, …).
 */
public final class SchemaOptions {
    /** Environment variable for {@code --drop-if-exists}. */
    public static final String DROP_IF_EXISTS_VARIABLE = "PGCOPYDB_DROP_IF_EXISTS";
    /** Environment variable for {@code --skip-db-properties}. */
    public static final String SKIP_DB_PROPERTIES_VARIABLE = "PGCOPYDB_SKIP_DB_PROPERTIES";

    @Option(names = "--roles", order = 20, description = "Copy roles first (pg_dumpall --roles-only); existing roles "
            + "are skipped.")
    private boolean roles;

    @Option(names = "--no-role-passwords", order = 21, description = "With --roles: leave passwords out (no "
            + "superuser needed on the source).")
    private boolean noRolePasswords;

    private boolean rolesCopied;

    private boolean forSteps;

    @Option(names = "--no-owner", order = 22, description = "Objects are owned by the target user.")
    private boolean noOwner;

    @Option(names = "--no-acl", order = 23, description = "Do not restore privileges (GRANT/REVOKE).")
    private boolean noAcl;

    @Option(names = "--no-comments", order = 24, description = "Do not restore comments.")
    private boolean noComments;

    @Option(names = "--skip-extensions", order = 25, description = "Do not create extensions (they must exist on "
            + "the target) nor copy their configuration tables.")
    private boolean skipExtensions;

    @Option(names = {"--skip-ext-comments", "--skip-ext-comment"}, order = 26,
            description = "Do not restore COMMENT ON EXTENSION (needs the extension's owner).")
    private boolean skipExtensionComments;

    @Option(names = "--skip-collations", order = 27, description = "Do not create collations (they must exist on "
            + "the target).")
    private boolean skipCollations;

    @Option(names = "--skip-db-properties", order = 28, description = "Do not copy ALTER DATABASE/ROLE … SET "
            + "settings.")
    private boolean skipDbProperties;

    @Option(names = "--drop-if-exists", order = 29, description = "Drop the source's objects from the target first; "
            + "nothing else there is touched.")
    private boolean dropIfExists;

    /**
     * The command runs steps alone: {@code --roles} is refused (the roles are a step of their own), and with
     * {@code copiesRoles} ({@code copy roles}) {@code --no-role-passwords} applies alone.
     */
    void forSteps(boolean copiesRoles) {
        forSteps = true;
        rolesCopied = copiesRoles;
    }

    /**
     * Applies the switched-on options to a copy.
     *
     * @param copy the copy to configure
     * @param context the invocation's context (the variables are already in the options)
     * @return {@code copy}
     * @throws UsageException when the options contradict each other
     */
    public CopyBuilder applyTo(CopyBuilder copy, CliContext context) {
        if (roles && forSteps) {
            throw new UsageException("--roles belongs to clone and copy db: copy the roles with 'pgcopydb copy roles'");
        }
        if (noRolePasswords && !roles && !rolesCopied) {
            throw new UsageException("--no-role-passwords only applies with --roles");
        }
        if (roles) {
            copy.roles();
        }
        if (noRolePasswords) {
            copy.noRolePasswords();
        }
        if (noOwner) {
            copy.noOwner();
        }
        if (noAcl) {
            copy.noAcl();
        }
        if (noComments) {
            copy.noComments();
        }
        if (skipExtensions) {
            copy.skipExtensions();
        }
        if (skipExtensionComments) {
            copy.skipExtensionComments();
        }
        if (skipCollations) {
            copy.skipCollations();
        }
        if (skipDbProperties) {
            copy.skipDbProperties();
        }
        if (dropIfExists) {
            copy.dropIfExists();
        }
        return copy;
    }
}
