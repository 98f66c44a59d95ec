package io.pgcopydb.internal.data;

import static com.google.common.base.Preconditions.checkArgument;

import io.pgcopydb.model.CopyFormat;
import io.pgcopydb.model.QualifiedName;
import io.pgcopydb.model.SourceTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a table's rows may move in binary COPY format: the rules, as pure functions of what {@link ColumnTypes}
 * read of both catalogs. Binary is chosen only when it is known to read back as what was written:
 * <ul>
 *   <li>both servers of one major version and both databases of one encoding — otherwise every table is text
 *       (send functions may change between major versions, and some binary forms, {@code "char"}'s or an
 *       extension's, are raw bytes of the server's encoding that no conversion touches);</li>
 *   <li>every copied column's type, followed through domains (to the base type), arrays (to the element type),
 *       ranges (to the subtype) and multiranges (to the range), ends in an enum (sent as its label), a built-in
 *       type with send and receive functions other than the {@code reg*} OID aliases (sent as raw OIDs that name
 *       other objects on the target), or a type with send and receive functions of an extension of the same
 *       version on both sides;</li>
 *   <li>no composite type on the way, and no array of a type that is not built in: their binary forms carry type
 *       OIDs ({@code record_send}, {@code array_send}) that the receiving server checks against its own, and a
 *       user type's OID differs on the target;</li>
 *   <li>the column has the same types on the target.</li>
 * </ul>
 */
final class BinaryCompatibility {
    /** PostgreSQL's {@code FirstNormalObjectId}: below it, the server's own objects; above, users' and extensions'. */
    static final long FIRST_NORMAL_OID = 16384;
    /** Built-in types whose binary form is the OID of a catalog row, which is another object (or none) elsewhere. */
    static final Set<String> OID_ALIASES = Set.of("regclass", "regtype", "regproc", "regprocedure", "regoper",
            "regoperator", "regconfig", "regdictionary", "regnamespace", "regrole", "regcollation");

    private BinaryCompatibility() {
    }

    /** How a type was reached from the one before it on a column's chain. */
    enum Step {
        /** The column's own type. */
        COLUMN,
        /** The base type of a domain. */
        DOMAIN,
        /** The element type of an array. */
        ARRAY,
        /** The subtype of a range. */
        RANGE,
        /** The range type of a multirange. */
        MULTIRANGE
    }

    /** An extension and its installed version. */
    record Extension(String name, String version) {
    }

    /**
     * One type on a column's chain.
     *
     * @param oid the type's OID on its server
     * @param schema the type's schema
     * @param name the type's name
     * @param kind {@code pg_type.typtype}: {@code b} base, {@code c} composite, {@code d} domain, {@code e} enum,
     *     {@code p} pseudo-type, {@code r} range, {@code m} multirange
     * @param via how it was reached from the type before it
     * @param binaryIo whether it has both a send and a receive function
     * @param extension the extension it belongs to, if any
     */
    record TypeNode(long oid, String schema, String name, char kind, Step via, boolean binaryIo,
            Optional<Extension> extension) {
        TypeNode {
            Objects.requireNonNull(extension, "extension");
        }

        boolean builtIn() {
            return oid < FIRST_NORMAL_OID;
        }

        /** The name as messages show it: qualified unless it is in {@code pg_catalog}. */
        String label() {
            return "pg_catalog".equals(schema) ? name : new QualifiedName(schema, name).toString();
        }

        /** The same type as {@code other} on another server: same name, kind and place in the chain. */
        boolean sameAs(TypeNode other) {
            return schema.equals(other.schema) && name.equals(other.name) && kind == other.kind && via == other.via
                    && (!builtIn() || oid == other.oid);
        }
    }

    /**
     * A column's type as one server resolves it.
     *
     * @param display the type as {@code format_type} prints it, modifiers included
     * @param chain the column's type first, then each type it is made of, one step at a time
     */
    record ColumnType(String display, List<TypeNode> chain) {
        ColumnType {
            chain = List.copyOf(chain);
            checkArgument(!chain.isEmpty() && chain.get(0).via() == Step.COLUMN, "a chain starts at the column's type");
        }
    }

    /**
     * What one server's catalog says.
     *
     * @param major the server's major version
     * @param encoding the database's encoding
     * @param tables every table's columns: column name to type
     */
    record Server(int major, String encoding, Map<QualifiedName, Map<String, ColumnType>> tables) {
        Server {
            tables = Map.copyOf(tables);
        }
    }

    /**
     * The format of one table.
     *
     * @param format the format its rows move in
     * @param reason why it is text although binary was asked; empty for binary
     */
    record Choice(CopyFormat format, Optional<String> reason) {
        static final Choice BINARY = new Choice(CopyFormat.BINARY, Optional.empty());

        static Choice text(String reason) {
            return new Choice(CopyFormat.TEXT, Optional.of(reason));
        }
    }

    /** Every table of {@code tables} by OID, in order, with its format between {@code source} and {@code target}. */
    static Map<Long, Choice> decide(List<SourceTable> tables, Server source, Server target) {
        Optional<String> servers = serversDiffer(source, target);
        Map<Long, Choice> choices = new LinkedHashMap<>();
        for (SourceTable table : tables) {
            choices.put(table.oid(), servers.map(Choice::text).orElseGet(() -> decide(table, source, target)));
        }
        return choices;
    }

    /** Why no table of these two servers may be binary, if so. */
    static Optional<String> serversDiffer(Server source, Server target) {
        if (source.major() != target.major()) {
            return Optional.of("the source is PostgreSQL " + source.major() + " and the target " + target.major()
                    + ": binary forms are trusted only between servers of one major version");
        }
        if (!source.encoding().equals(target.encoding())) {
            return Optional.of("the source database's encoding is " + source.encoding() + " and the target's "
                    + target.encoding() + ": some binary forms (\"char\", extension types) are raw bytes of the "
                    + "server's encoding, which nothing converts");
        }
        return Optional.empty();
    }

    /** {@code table}'s format: binary unless one of its columns stands in the way (the first one is named). */
    static Choice decide(SourceTable table, Server source, Server target) {
        Map<String, ColumnType> onSource = source.tables().getOrDefault(table.name(), Map.of());
        Map<String, ColumnType> onTarget = target.tables().getOrDefault(table.name(), Map.of());
        List<String> problems = new ArrayList<>();
        for (String column : table.columns()) {
            columnProblem(column, onSource.get(column), onTarget.get(column)).ifPresent(problems::add);
        }
        if (problems.isEmpty()) {
            return Choice.BINARY;
        }
        return Choice.text(problems.get(0) + (problems.size() == 1 ? ""
                : " (and " + (problems.size() - 1) + " more column" + (problems.size() == 2 ? "" : "s") + ")"));
    }

    /** Why {@code column} (its type on either side, null where it is missing) cannot be binary, if so. */
    static Optional<String> columnProblem(String column, ColumnType source, ColumnType target) {
        String name = "column " + column;
        if (source == null) {
            return Optional.of(name + ": not found in the source's catalog");
        }
        String named = name + " (" + source.display() + ")";
        if (target == null) {
            return Optional.of(named + ": not found on the target");
        }
        Optional<String> problem = typeProblem(source.chain())
                .or(() -> differs(source, target))
                .or(() -> typeProblem(target.chain()).map(p -> "on the target, " + p))
                .or(() -> extensionVersions(source.chain(), target.chain()));
        return problem.map(p -> named + ": " + p);
    }

    /** Why a chain's binary form cannot be trusted to read back on another server, if so. */
    static Optional<String> typeProblem(List<TypeNode> chain) {
        for (int i = 0; i < chain.size(); i++) {
            TypeNode type = chain.get(i);
            TypeNode next = i + 1 < chain.size() ? chain.get(i + 1) : null;
            if (type.kind() == 'c') {
                return Optional.of("composite type " + type.label() + ": its binary form carries its attributes' "
                        + "type OIDs, which the target checks against its own");
            }
            if (type.kind() == 'p') {
                return Optional.of("pseudo-type " + type.label() + " has no binary form to trust");
            }
            if (next != null) {
                if (next.via() == Step.ARRAY && !next.builtIn()) {
                    return Optional.of("an array of " + next.label() + ", which is not built in: its binary form "
                            + "carries the element type's OID, which differs on the target");
                }
                continue;
            }
            return leafProblem(type);
        }
        return Optional.empty();
    }

    /** The type a chain ends in: what the binary form is really made of. */
    private static Optional<String> leafProblem(TypeNode type) {
        if (type.kind() == 'e') {
            return Optional.empty();
        }
        if (type.kind() != 'b') {
            return Optional.of("type " + type.label() + " could not be followed to what it is made of");
        }
        if (type.builtIn() && OID_ALIASES.contains(type.name())) {
            return Optional.of(type.label() + " is sent as a raw OID, which names another object (or none) on the "
                    + "target");
        }
        if (!type.binaryIo()) {
            return Optional.of(type.label() + " has no binary send and receive functions");
        }
        if (!type.builtIn() && type.extension().isEmpty()) {
            return Optional.of("base type " + type.label() + " belongs to no extension: its binary form is "
                    + "whatever its own functions write");
        }
        return Optional.empty();
    }

    /** Whether the target resolves the column to other types, and how, if so. */
    private static Optional<String> differs(ColumnType source, ColumnType target) {
        List<TypeNode> s = source.chain();
        List<TypeNode> t = target.chain();
        boolean same = s.size() == t.size();
        for (int i = 0; same && i < s.size(); i++) {
            same = s.get(i).sameAs(t.get(i));
        }
        return same ? Optional.empty() : Optional.of("the target's column is " + target.display()
                + ", made of other types");
    }

    /** An extension type whose extension has another version on the target, if any. */
    private static Optional<String> extensionVersions(List<TypeNode> source, List<TypeNode> target) {
        for (int i = 0; i < source.size(); i++) {
            Optional<Extension> s = source.get(i).extension();
            Optional<Extension> t = target.get(i).extension();
            if (!s.equals(t)) {
                return Optional.of("type " + source.get(i).label() + " of extension "
                        + s.or(() -> t).map(Extension::name).orElseThrow() + " is version "
                        + s.map(Extension::version).orElse("(none)") + " on the source and "
                        + t.map(Extension::version).orElse("(none)") + " on the target");
            }
        }
        return Optional.empty();
    }
}
