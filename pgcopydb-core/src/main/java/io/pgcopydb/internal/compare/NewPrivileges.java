package io.pgcopydb.internal.compare;

import io.pgcopydb.internal.compare.SchemaSnapshot.SchemaObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Takes out of a snapshot's ACLs the privileges the other side's server version does not have, so that a copy
 * across major versions compares equal: PostgreSQL 17 added {@code MAINTAIN} and gives it to every relation's
 * owner by default ({@code acldefault}), so a table copied from 12 to 17 shows {@code (owner)=…,MAINTAIN,…} on the
 * target only, a difference no copy can avoid (and a grant of it cannot exist on the older side). Between two
 * servers that both have a privilege, nothing is taken out: a lost {@code MAINTAIN} grant from 17 to 18 is
 * still reported.
 */
final class NewPrivileges {
    /** Privilege → the first {@code server_version_num} that has it. */
    private static final Map<String, Integer> SINCE = Map.of("MAINTAIN", 170000);

    private NewPrivileges() {
    }

    /**
     * {@code snapshot} without the privileges a server of {@code otherVersion} lacks, in every {@code acl}
     * aspect; the same snapshot when the other version is unknown (0) or has them all.
     */
    static SchemaSnapshot withoutUnknownTo(SchemaSnapshot snapshot, int otherVersion) {
        List<String> unknown = SINCE.entrySet().stream()
                .filter(e -> otherVersion > 0 && otherVersion < e.getValue() && snapshot.serverVersion() >= e.getValue())
                .map(Map.Entry::getKey).sorted().toList();
        if (unknown.isEmpty()) {
            return snapshot;
        }
        SchemaSnapshot out = new SchemaSnapshot(snapshot.serverVersion());
        for (SchemaObject o : snapshot.objects().values()) {
            Map<String, String> aspects = new TreeMap<>(o.aspects());
            aspects.computeIfPresent("acl", (k, acl) -> without(acl, unknown));
            out.add(o.name(), o.parents(), aspects);
        }
        return out;
    }

    /**
     * An ACL as {@link SchemaSql#acl} writes it ({@code grantee=P,Q* by grantor; …}) without {@code privileges}
     * (with or without grant option); a grantee left with none is left out.
     */
    static String without(String acl, List<String> privileges) {
        if (acl.isEmpty()) {
            return acl;
        }
        List<String> items = new ArrayList<>();
        for (String item : acl.split("; ")) {
            int by = item.lastIndexOf(" by ");
            int eq = by < 0 ? -1 : item.lastIndexOf('=', by);
            if (eq < 0) {
                items.add(item);
                continue;
            }
            List<String> kept = new ArrayList<>();
            for (String p : item.substring(eq + 1, by).split(",")) {
                if (!privileges.contains(p.endsWith("*") ? p.substring(0, p.length() - 1) : p)) {
                    kept.add(p);
                }
            }
            if (!kept.isEmpty()) {
                items.add(item.substring(0, eq + 1) + String.join(",", kept) + item.substring(by));
            }
        }
        return String.join("; ", items);
    }
}
