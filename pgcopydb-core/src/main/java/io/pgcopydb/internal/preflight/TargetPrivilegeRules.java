package io.pgcopydb.internal.preflight;

import static io.pgcopydb.internal.preflight.PrivilegeCheck.count;
import static io.pgcopydb.internal.preflight.PrivilegeCheck.ident;
import static io.pgcopydb.internal.preflight.PrivilegeCheck.names;

import io.pgcopydb.CopyOptions;
import io.pgcopydb.ErrorCode;
import io.pgcopydb.internal.preflight.SourcePrivileges.AclRole;
import io.pgcopydb.internal.preflight.SourcePrivileges.AclUse;
import io.pgcopydb.internal.preflight.SourcePrivileges.Owned;
import io.pgcopydb.model.Side;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The target-side rules of {@link PrivilegeCheck}: schemas to create or fill, owners to give objects to,
 * roles named by privileges, extensions, {@code dropIfExists} and {@code roles}. Each rule adds its problems to
 * the check; a superuser on the target passes every rule but those about roles and extensions that must exist.
 */
final class TargetPrivilegeRules {
    private final PrivilegeCheck c;
    private final CopyOptions options;
    private final SourcePrivileges src;
    private final TargetPrivileges tgt;
    private final String u;

    TargetPrivilegeRules(PrivilegeCheck check) {
        this.c = check;
        this.options = check.options;
        this.src = check.src;
        this.tgt = check.tgt;
        this.u = ident(tgt.user());
    }

    void apply() {
        schemas();
        if (!options.noOwner()) {
            owners();
        }
        if (!options.noAcl()) {
            acls();
        }
        extensions();
        if (!tgt.superuser() && !src.superuserOnly().isEmpty()) {
            List<String> objects = src.superuserOnly();
            c.problem(Side.TARGET, objects, "the source has " + objects.size() + " object"
                    + (objects.size() == 1 ? "" : "s") + " only a superuser can create (" + names(objects)
                    + "), and target role " + tgt.user() + " is not one", "copy as a superuser of the target, or "
                    + "drop " + (objects.size() == 1 ? "it" : "them") + " on the source first");
        }
        if (options.dropIfExists() && !tgt.superuser() && !tgt.foreignRelations().isEmpty()) {
            List<String> relations = List.copyOf(tgt.foreignRelations().keySet());
            List<String> owned = relations.stream().map(r -> r + " owned by " + tgt.foreignRelations().get(r))
                    .toList();
            c.problem(Side.TARGET, relations, "dropIfExists() cannot drop " + count(relations, "target relation")
                    + " owned by another role (" + names(owned) + ")", "drop them yourself, or make " + tgt.user()
                    + " a member of their owner");
        }
        if (options.roles() && !tgt.superuser() && !tgt.createRole()) {
            c.problem(Side.TARGET, List.of(tgt.user()), "target role " + tgt.user() + " lacks CREATEROLE, needed to "
                    + "copy roles", "grant it (ALTER ROLE " + u + " CREATEROLE), or create the roles yourself and "
                    + "leave roles() off");
        }
    }

    /** New schemas need CREATE on the database; existing ones holding source objects need CREATE on them. */
    private void schemas() {
        if (tgt.superuser()) {
            return;
        }
        List<String> toCreate = new ArrayList<>();
        Map<String, String> filled = new LinkedHashMap<>();
        for (Owned o : src.owned()) {
            if (o.schema() == null) {
                continue;
            }
            if (o.isSchema() && !tgt.schemas().containsKey(o.schema())) {
                toCreate.add(o.schema());
            } else if (!o.isSchema() && tgt.schemas().containsKey(o.schema())) {
                filled.putIfAbsent(o.schema(), o.example());
            }
        }
        List<String> why = new ArrayList<>();
        if (!toCreate.isEmpty()) {
            why.add("schema " + names(toCreate));
        }
        List<String> trusted = extensionsToCreate().stream()
                .filter(e -> tgt.extensions().get(e).available() && tgt.extensions().get(e).trusted()).toList();
        if (!trusted.isEmpty()) {
            why.add("extension " + names(trusted));
        }
        if (!why.isEmpty() && !tgt.createOnDatabase()) {
            c.problem(Side.TARGET, List.of(tgt.database()), "target role " + tgt.user() + " lacks CREATE on "
                    + "database " + tgt.database() + ", needed to create " + String.join(" and ", why),
                    "grant it (GRANT CREATE ON DATABASE " + ident(tgt.database()) + " TO " + u + ")");
        }
        filled.forEach((schema, example) -> {
            TargetPrivileges.Schema s = tgt.schemas().get(schema);
            List<String> missing = new ArrayList<>();
            if (!s.create()) {
                missing.add("CREATE");
            }
            if (!s.usage()) {
                missing.add("USAGE");
            }
            if (!missing.isEmpty()) {
                String privileges = String.join(", ", missing);
                c.problem(Side.TARGET, List.of(schema), "target role " + tgt.user() + " lacks " + privileges
                        + " on schema " + schema + " of the target, where the source has objects (e.g. " + example
                        + ")", "grant it (GRANT " + privileges + " ON SCHEMA " + ident(schema) + " TO " + u + ")");
            }
        });
    }

    /** Without noOwner, every owner is set with ALTER … OWNER TO, as the target role. */
    private void owners() {
        Map<String, String> owners = new LinkedHashMap<>();
        for (Owned o : src.owned()) {
            // pg_dump writes no owner for a public schema that belongs to pg_database_owner.
            if (!(o.isSchema() && o.schema().equals("public") && o.owner().equals("pg_database_owner"))) {
                owners.putIfAbsent(o.owner(), o.isSchema() ? "schema " + o.schema() : o.example());
            }
        }
        // With roles, every source role is created first: a missing one will exist, though not as ours.
        List<String> missing = owners.keySet().stream().filter(o -> !tgt.role(o).exists()).toList();
        if (!missing.isEmpty() && !options.roles()) {
            c.problem(ErrorCode.ROLE_MISSING, Side.TARGET, missing, "source objects are owned by " + names(missing)
                    + ", which " + (missing.size() == 1 ? "does" : "do") + " not exist on the target", "create "
                    + (missing.size() == 1 ? "the role" : "the roles") + " on the target, or use noOwner()");
        }
        if (tgt.superuser()) {
            return;
        }
        List<String> foreign = owners.keySet().stream()
                .filter(o -> tgt.role(o).exists() && !tgt.role(o).actAs()).toList();
        if (!missing.isEmpty() && options.roles()) {
            c.problem(Side.TARGET, missing, "target role " + tgt.user() + " will create " + names(missing)
                    + " with roles() but not be a member, so it cannot give objects to "
                    + (missing.size() == 1 ? "it" : "them"), "create the roles on the target and grant them to "
                    + tgt.user() + " first, or use noOwner()");
        }
        if (!foreign.isEmpty()) {
            c.problem(Side.TARGET, foreign, "target role " + tgt.user() + " is not a member of " + names(foreign)
                    + " (owner of " + owners.get(foreign.get(0)) + (foreign.size() > 1 ? " and more" : "")
                    + "), so it cannot give objects to " + (foreign.size() == 1 ? "it" : "them"), "grant it (GRANT "
                    + ident(foreign.get(0)) + " TO " + u + "), or use noOwner()");
        }
        for (Owned o : src.owned()) {
            if (o.isSchema() && o.schema().equals("public") && !o.owner().equals("pg_database_owner")) {
                TargetPrivileges.Schema p = tgt.schemas().get("public");
                if (p != null && !p.owner().equals(o.owner()) && !p.owned()) {
                    c.problem(Side.TARGET, List.of("public"), "the source's schema public belongs to " + o.owner()
                            + ", and giving the target's schema public to it needs its owner " + p.owner()
                            + ", which " + tgt.user() + " is not", "use noOwner()");
                }
            }
        }
        Map<String, String> schemaOwners = new LinkedHashMap<>();
        src.owned().stream().filter(Owned::isSchema).forEach(o -> schemaOwners.put(o.schema(), o.owner()));
        for (Owned o : src.owned()) {
            if (o.isSchema() || o.schema() == null) {
                continue;
            }
            if (tgt.ownersWithoutCreate().contains(List.of(o.schema(), o.owner()))) {
                c.problem(Side.TARGET, List.of(o.schema()), "role " + o.owner() + " lacks CREATE on schema "
                        + o.schema() + " of the target, so it cannot be given its objects (e.g. " + o.example()
                        + ")", "grant it (GRANT CREATE ON SCHEMA " + ident(o.schema()) + " TO " + ident(o.owner())
                        + "), or use noOwner()");
            } else if (tgt.ownersNotActingAsSchemaOwner()
                    .contains(List.of(o.owner(), schemaOwners.get(o.schema())))) {
                c.problem(Side.TARGET, List.of(o.schema()), "objects in schema " + o.schema() + " belong to "
                        + o.owner() + ", not to the schema's owner " + schemaOwners.get(o.schema()) + ", and "
                        + o.owner() + " will lack CREATE on it when they are given to it (schema privileges are "
                        + "restored last; e.g. " + o.example() + ")", "create the schema on the target and grant it "
                        + "(GRANT CREATE ON SCHEMA " + ident(o.schema()) + " TO " + ident(o.owner()) + "), or use "
                        + "noOwner()");
            }
        }
    }

    /** Without noAcl, GRANT/REVOKE name roles, and some need a superuser or membership. */
    private void acls() {
        Set<String> missing = new LinkedHashSet<>();
        List<String> grantors = new ArrayList<>();
        String grantorExample = null;
        List<String> defaults = new ArrayList<>();
        for (AclRole a : src.aclRoles()) {
            if (!tgt.role(a.role()).exists() && !options.roles()) {
                missing.add(a.role());
            }
            if (a.use() == AclUse.GRANTOR && !tgt.superuser()) {
                grantors.add(a.role());
                grantorExample = grantorExample == null ? a.example() : grantorExample;
            } else if (a.use() == AclUse.DEFAULTS && !tgt.superuser() && !tgt.role(a.role()).actAs()
                    && (tgt.role(a.role()).exists() || options.roles())) {
                defaults.add(a.role());
            }
        }
        if (!missing.isEmpty()) {
            List<String> m = List.copyOf(missing);
            c.problem(ErrorCode.ROLE_MISSING, Side.TARGET, m, "source privileges name " + names(m) + ", which "
                    + (m.size() == 1 ? "does" : "do") + " not exist on the target", "create "
                    + (m.size() == 1 ? "the role" : "the roles") + " on the target (or use roles()), or use noAcl()");
        }
        if (!grantors.isEmpty()) {
            c.problem(Side.TARGET, grantors, "source privileges were granted by " + names(grantors) + ", not by the "
                    + "objects' owners (e.g. on " + grantorExample + "), and restoring them needs SET SESSION "
                    + "AUTHORIZATION, which needs a superuser on the target", "use noAcl()");
        }
        if (!defaults.isEmpty()) {
            c.problem(Side.TARGET, defaults, "source default privileges (ALTER DEFAULT PRIVILEGES FOR ROLE) of "
                    + names(defaults) + " need " + tgt.user() + " to be a member", "grant it (GRANT "
                    + ident(defaults.get(0)) + " TO " + u + "), or use noAcl()");
        }
        if (tgt.superuser()) {
            return;
        }
        for (Owned o : src.owned()) {
            TargetPrivileges.Schema s = o.isSchema() ? tgt.schemas().get(o.schema()) : null;
            if (s != null && o.nonDefaultAcl() && !s.owned()) {
                c.warning("the privileges of schema " + o.schema() + " will not be copied: the schema exists on "
                        + "the target and belongs to " + s.owner() + ", not to " + tgt.user()
                        + " (PostgreSQL only warns); use noAcl() to leave them out knowingly");
            }
        }
    }

    /** What CREATE EXTENSION needs; and COMMENT ON EXTENSION, which needs the extension's owner. */
    private void extensions() {
        if (options.skipExtensions()) {
            // Neither extensions nor their comments are restored; that they exist is checked with the pre-data list.
            return;
        }
        for (SourcePrivileges.Extension e : src.extensions()) {
            TargetPrivileges.Extension t = tgt.extensions().get(e.name());
            if (!t.installed() && !t.available()) {
                c.problem(ErrorCode.TARGET_PREREQUISITE_MISSING, Side.TARGET, List.of(e.name()), "extension "
                        + e.name() + " is not available on the target server", "install it there, or use "
                        + "skipExtensions()");
            } else if (!t.installed() && t.needsSuperuser() && !t.trusted() && !tgt.superuser()) {
                c.problem(Side.TARGET, List.of(e.name()), "extension " + e.name() + " is not trusted, so creating "
                        + "it needs a superuser on the target, and " + tgt.user() + " is not one", "have a superuser "
                        + "create it there and use skipExtensions()");
            }
            // CREATE EXTENSION makes the creator the owner: only an extension already there can refuse the comment.
            boolean comments = !options.skipExtensionComments() && !options.noComments();
            if (comments && e.commented() && t.installed() && !t.owned() && !tgt.superuser()) {
                c.problem(Side.TARGET, List.of(e.name()), "COMMENT ON EXTENSION " + e.name() + " needs the "
                        + "extension's owner, and on the target it already exists, owned by " + t.owner() + ", not "
                        + tgt.user(), "use skipExtensionComments()");
            }
        }
    }

    private List<String> extensionsToCreate() {
        if (options.skipExtensions()) {
            return List.of();
        }
        return src.extensions().stream().map(SourcePrivileges.Extension::name)
                .filter(n -> !tgt.extensions().get(n).installed()).toList();
    }
}
