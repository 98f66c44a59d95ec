package io.pgcopydb.internal.template;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a database is created with: encoding, locale (collate, ctype, provider and ICU locale, read through
 * {@code row_to_json} so one query serves 12 to 18, whose columns differ) and owner.
 *
 * @param name the database's name
 * @param encoding e.g. {@code UTF8}
 * @param collate {@code datcollate}
 * @param ctype {@code datctype}
 * @param provider {@code c}, {@code i} (ICU), {@code b} (builtin, 17+), empty before 15
 * @param locale the ICU or builtin locale, when the provider has one
 * @param owner the owning role
 */
record DatabaseShape(String name, String encoding, String collate, String ctype, Optional<String> provider,
        Optional<String> locale, String owner) {

    /** The shape's seven columns of {@code pg_database d}, for {@link #of}; with {@link #FROM}. */
    static final String COLUMNS = "d.datname, pg_encoding_to_char(d.encoding), d.datcollate, d.datctype,"
            + " j->>'datlocprovider', coalesce(j->>'datlocale', j->>'daticulocale'), pg_get_userbyid(d.datdba)";
    static final String FROM = " FROM pg_database d, LATERAL (SELECT row_to_json(d)::jsonb AS j) x";
    private static final String SQL = "SELECT " + COLUMNS + FROM + " WHERE d.datname = ?";

    /** The shape of database {@code name} as seen from {@code c}, if it exists. */
    static Optional<DatabaseShape> read(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SQL)) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(of(rs));
            }
        }
    }

    /** The shape in the first seven columns of {@code rs}'s current row, selected as {@link #COLUMNS}. */
    static DatabaseShape of(ResultSet rs) throws SQLException {
        return new DatabaseShape(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                Optional.ofNullable(rs.getString(5)), Optional.ofNullable(rs.getString(6)), rs.getString(7));
    }

    /**
     * The {@code CREATE DATABASE} clauses giving a new database this shape on a server of {@code serverVersion}
     * ({@code server_version_num}), most faithful first, then with less: the owner, then the locale left out.
     */
    List<String> clauses(int serverVersion) {
        String owner = " OWNER " + TargetDatabase.ident(this.owner);
        String encoding = " ENCODING " + TargetDatabase.literal(encoding());
        StringBuilder locale = new StringBuilder(" LC_COLLATE " + TargetDatabase.literal(collate) + " LC_CTYPE "
                + TargetDatabase.literal(ctype));
        if (serverVersion >= 150000 && provider.isPresent()) {
            String p = switch (provider.get()) {
                case "i" -> "icu";
                case "b" -> "builtin";
                default -> "libc";
            };
            locale.append(" LOCALE_PROVIDER ").append(p);
            if (locale().isPresent() && !p.equals("libc")) {
                locale.append(serverVersion >= 170000 ? " LOCALE " : " ICU_LOCALE ")
                        .append(TargetDatabase.literal(locale().get()));
            }
        }
        List<String> tries = new ArrayList<>();
        tries.add(" TEMPLATE template0" + encoding + locale + owner);
        tries.add(" TEMPLATE template0" + encoding + locale);
        tries.add(" TEMPLATE template0" + encoding);
        return tries;
    }

    /** One line: {@code encoding UTF8, locale en_US.UTF-8/en_US.UTF-8 (libc), owner app}. */
    String describe() {
        return "encoding " + encoding + ", locale " + collate + "/" + ctype + provider.map(p -> " (" + switch (p) {
            case "i" -> "icu " + locale.orElse("");
            case "b" -> "builtin " + locale.orElse("");
            default -> "libc";
        } + ")").orElse("") + ", owner " + owner;
    }
}
