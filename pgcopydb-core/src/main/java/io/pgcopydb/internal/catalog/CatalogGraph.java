package io.pgcopydb.internal.catalog;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The part of the source catalog that filtering needs, as plain values: what the filter package resolves a
 * {@link io.pgcopydb.filter.Filters} against. Built by the engine from the snapshot; built by hand in tests.
 *
 * <p>Contract for whoever builds it: only user objects (no {@code pg_catalog}, {@code information_schema},
 * {@code pg_toast}, temporary schemas) and no extension members ({@code pg_depend.deptype = 'e'}): extension
 * members come with {@code CREATE EXTENSION}. OIDs referring to objects absent from the graph (say an FK to an
 * extension's configuration table) are treated as outside the filter: kept, with their data.
 *
 * @param schemas every user schema
 * @param relations tables, partitioned tables, materialized views, views, foreign tables, sequences, indexes
 * @param constraints constraints of those relations; for partitioned tables only the parent's constraint
 *     ({@code conparentid = 0}), the partitions' clones follow it
 * @param sequenceOwners which table owns a sequence ({@code OWNED BY}, pg_depend deptype {@code a}; identity,
 *     deptype {@code i})
 * @param sequenceDefaults column defaults calling {@code nextval()} on a sequence ({@code pg_attrdef} rows
 *     depending on the sequence)
 * @param extensions every extension
 * @param dependencies other pg_depend edges (normal and automatic), with objects internal to another
 *     ({@code deptype = 'i'}, e.g. a view's rewrite rule) reported as that owner, as pgcopydb's
 *     {@code list_source_depend.sql} does; identity and serial sequences stay objects of their own (their
 *     ownership edges may be given or not: the closure never enters a kept sequence); edges to schemas are
 *     ignored. The typed lists above imply their own edges, so they need not be repeated here
 */
public record CatalogGraph(List<Namespace> schemas, List<Relation> relations, List<Constraint> constraints,
        List<SequenceOwner> sequenceOwners, List<SequenceDefault> sequenceDefaults, List<Extension> extensions,
        List<Dependency> dependencies) {

    /** {@code 'pg_class'::regclass}: fixed in every PostgreSQL release. */
    public static final long PG_CLASS = 1259;
    /** {@code 'pg_constraint'::regclass}. */
    public static final long PG_CONSTRAINT = 2606;
    /** {@code 'pg_attrdef'::regclass}. */
    public static final long PG_ATTRDEF = 2604;
    /** {@code 'pg_extension'::regclass}. */
    public static final long PG_EXTENSION = 3079;

    /** Copies every list; rejects two relations with one OID. */
    public CatalogGraph {
        schemas = List.copyOf(schemas);
        relations = List.copyOf(relations);
        constraints = List.copyOf(constraints);
        sequenceOwners = List.copyOf(sequenceOwners);
        sequenceDefaults = List.copyOf(sequenceDefaults);
        extensions = List.copyOf(extensions);
        dependencies = List.copyOf(dependencies);
        Set<Long> oids = new HashSet<>();
        for (Relation r : relations) {
            if (!oids.add(r.oid())) {
                throw new IllegalArgumentException("two relations with OID " + r.oid() + " in the catalog graph");
            }
        }
    }

    /** A catalog object as pg_depend and pg_restore's list name it: the catalog's OID and the object's. */
    public record ObjectRef(long classOid, long objectOid) implements Comparable<ObjectRef> {
        public static ObjectRef relation(long oid) {
            return new ObjectRef(PG_CLASS, oid);
        }

        @Override
        public int compareTo(ObjectRef o) {
            int c = Long.compare(classOid, o.classOid);
            return c != 0 ? c : Long.compare(objectOid, o.objectOid);
        }
    }

    /** A schema ({@code pg_namespace}). */
    public record Namespace(long oid, String name) {
        public Namespace {
            Objects.requireNonNull(name, "name");
        }
    }

    /**
     * A {@code pg_class} row.
     *
     * @param tableOid for an index, the relation it is built on; else 0
     * @param parentOid for a partition, its partitioned parent; else 0
     */
    public record Relation(long oid, String schema, String name, Kind kind, long tableOid, long parentOid) {
        public Relation {
            Objects.requireNonNull(schema, "schema");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(kind, "kind");
        }

        /** {@code pg_class.relkind}. */
        public enum Kind {
            TABLE('r'), PARTITIONED_TABLE('p'), MATERIALIZED_VIEW('m'), FOREIGN_TABLE('f'), VIEW('v'),
            SEQUENCE('S'), INDEX('i'), PARTITIONED_INDEX('I');

            final char relkind;

            Kind(char relkind) {
                this.relkind = relkind;
            }

            /** How messages name the kind, e.g. {@code materialized view}. */
            public String word() {
                return switch (this) {
                    case TABLE -> "table";
                    case PARTITIONED_TABLE -> "partitioned table";
                    case MATERIALIZED_VIEW -> "materialized view";
                    case FOREIGN_TABLE -> "foreign table";
                    case VIEW -> "view";
                    case SEQUENCE -> "sequence";
                    case INDEX, PARTITIONED_INDEX -> "index";
                };
            }

            /** The kind of {@code relkind}; composite types and TOAST tables have no place in the graph. */
            static Kind of(char relkind) {
                for (Kind k : values()) {
                    if (k.relkind == relkind) {
                        return k;
                    }
                }
                throw new IllegalArgumentException("relkind '" + relkind + "' has no place in the catalog graph");
            }
        }

        /** Whether the table sections of a filter apply: tables, partitioned tables, matviews, foreign tables. */
        public boolean isTableLike() {
            return kind == Kind.TABLE || kind == Kind.PARTITIONED_TABLE || kind == Kind.MATERIALIZED_VIEW
                    || kind == Kind.FOREIGN_TABLE;
        }

        public boolean isIndex() {
            return kind == Kind.INDEX || kind == Kind.PARTITIONED_INDEX;
        }

        public ObjectRef ref() {
            return ObjectRef.relation(oid);
        }

        /** {@code schema.name}, unquoted, for messages. */
        public String qualified() {
            return schema + "." + name;
        }

        /** This relation as a filter entry, quoting a part only where the entry syntax needs it. */
        public String entry() {
            return entryPart(schema) + "." + entryPart(name);
        }

        private static String entryPart(String part) {
            boolean plain = !part.isEmpty() && part.equals(part.strip())
                    && part.chars().noneMatch(c -> ".\"~=".indexOf(c) >= 0);
            return plain ? part : '"' + part.replace("\"", "\"\"") + '"';
        }
    }

    /**
     * A {@code pg_constraint} row.
     *
     * @param type {@code contype}: {@code f} foreign key, {@code p}, {@code u}, {@code x}, {@code c}, {@code t}
     * @param referencedTableOid for a foreign key, the referenced table ({@code confrelid}); else 0
     * @param indexOid the index the constraint uses ({@code conindid}; for a foreign key, the referenced
     *     table's unique index); else 0
     */
    public record Constraint(long oid, String name, long tableOid, char type, long referencedTableOid, long indexOid) {
        public Constraint {
            Objects.requireNonNull(name, "name");
        }

        public boolean isForeignKey() {
            return type == 'f';
        }

        public ObjectRef ref() {
            return new ObjectRef(PG_CONSTRAINT, oid);
        }
    }

    /** The table a sequence belongs to; an identity sequence cannot exist without its table. */
    public record SequenceOwner(long sequenceOid, long tableOid, boolean identity) {
    }

    /** A column default of {@code tableOid} using a sequence; {@code defaultOid} is the {@code pg_attrdef} OID. */
    public record SequenceDefault(long defaultOid, long sequenceOid, long tableOid) {
        public ObjectRef ref() {
            return new ObjectRef(PG_ATTRDEF, defaultOid);
        }
    }

    /** A {@code pg_extension} row. */
    public record Extension(long oid, String name, String schema) {
        public Extension {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(schema, "schema");
        }

        public ObjectRef ref() {
            return new ObjectRef(PG_EXTENSION, oid);
        }
    }

    /**
     * {@code object} cannot exist without {@code referenced} (a pg_depend row, normal or automatic).
     *
     * @param description how messages name {@code object}, e.g. {@code pg_describe_object()}'s
     *     {@code trigger audit_trg on table public.t}; empty when unknown
     */
    public record Dependency(ObjectRef object, ObjectRef referenced, String description) {
        public Dependency {
            Objects.requireNonNull(object, "object");
            Objects.requireNonNull(referenced, "referenced");
            Objects.requireNonNull(description, "description");
        }

        /** A dependency without a description. */
        public Dependency(ObjectRef object, ObjectRef referenced) {
            this(object, referenced, "");
        }
    }
}
