package io.pgcopydb.internal.follow;

import io.pgcopydb.internal.follow.PgOutputMessage.Begin;
import io.pgcopydb.internal.follow.PgOutputMessage.Column;
import io.pgcopydb.internal.follow.PgOutputMessage.Commit;
import io.pgcopydb.internal.follow.PgOutputMessage.Delete;
import io.pgcopydb.internal.follow.PgOutputMessage.Insert;
import io.pgcopydb.internal.follow.PgOutputMessage.Message;
import io.pgcopydb.internal.follow.PgOutputMessage.Origin;
import io.pgcopydb.internal.follow.PgOutputMessage.Relation;
import io.pgcopydb.internal.follow.PgOutputMessage.Truncate;
import io.pgcopydb.internal.follow.PgOutputMessage.Type;
import io.pgcopydb.internal.follow.PgOutputMessage.Update;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The test side's pgoutput version 1 writer, written from the protocol's documentation, not from the decoder. */
final class PgOutputEncoder {

    private PgOutputEncoder() {
    }

    static byte[] encode(PgOutputMessage message) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            write(out, message);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void write(DataOutputStream out, PgOutputMessage message) throws IOException {
        if (message instanceof Begin b) {
            out.writeByte('B');
            out.writeLong(b.finalLsn());
            out.writeLong(b.commitTime());
            out.writeInt(b.xid());
        } else if (message instanceof Commit c) {
            out.writeByte('C');
            out.writeByte(c.flags());
            out.writeLong(c.commitLsn());
            out.writeLong(c.endLsn());
            out.writeLong(c.commitTime());
        } else if (message instanceof Origin o) {
            out.writeByte('O');
            out.writeLong(o.lsn());
            string(out, o.name());
        } else if (message instanceof Relation r) {
            out.writeByte('R');
            out.writeInt(r.oid());
            string(out, r.namespace());
            string(out, r.name());
            out.writeByte(r.replicaIdentity());
            out.writeShort(r.columns().size());
            for (Column c : r.columns()) {
                out.writeByte(c.flags());
                string(out, c.name());
                out.writeInt(c.typeOid());
                out.writeInt(c.typeModifier());
            }
        } else if (message instanceof Type t) {
            out.writeByte('Y');
            out.writeInt(t.oid());
            string(out, t.namespace());
            string(out, t.name());
        } else if (message instanceof Insert i) {
            out.writeByte('I');
            out.writeInt(i.relationOid());
            out.writeByte('N');
            tuple(out, i.newTuple());
        } else if (message instanceof Update u) {
            out.writeByte('U');
            out.writeInt(u.relationOid());
            if (u.oldTuple() != null) {
                out.writeByte(u.oldKind());
                tuple(out, u.oldTuple());
            }
            out.writeByte('N');
            tuple(out, u.newTuple());
        } else if (message instanceof Delete d) {
            out.writeByte('D');
            out.writeInt(d.relationOid());
            out.writeByte(d.oldKind());
            tuple(out, d.oldTuple());
        } else if (message instanceof Truncate t) {
            out.writeByte('T');
            out.writeInt(t.relationOids().size());
            out.writeByte(t.options());
            for (int oid : t.relationOids()) {
                out.writeInt(oid);
            }
        } else if (message instanceof Message m) {
            out.writeByte('M');
            out.writeByte(m.flags());
            out.writeLong(m.lsn());
            string(out, m.prefix());
            out.writeInt(m.content().length);
            out.write(m.content());
        }
    }

    static void tuple(DataOutputStream out, TupleData tuple) throws IOException {
        out.writeShort(tuple.size());
        for (int i = 0; i < tuple.size(); i++) {
            switch (tuple.kind(i)) {
                case NULL -> out.writeByte('n');
                case UNCHANGED_TOAST -> out.writeByte('u');
                case TEXT -> {
                    byte[] text = tuple.text(i).getBytes(StandardCharsets.UTF_8);
                    out.writeByte('t');
                    out.writeInt(text.length);
                    out.write(text);
                }
            }
        }
    }

    private static void string(DataOutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
        out.writeByte(0);
    }
}
