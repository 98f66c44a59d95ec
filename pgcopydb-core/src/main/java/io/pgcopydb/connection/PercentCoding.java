package io.pgcopydb.connection;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Percent-encoding as libpq URIs and pgjdbc URLs use it (UTF-8 bytes). */
final class PercentCoding {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private PercentCoding() {
    }

    /**
     * Encodes every character except RFC 3986 unreserved ones, so the result is safe in any part of a libpq URI
     * and in a pgjdbc URL (whose decoder would otherwise turn {@code +} into a space).
     *
     * @param keep extra ASCII characters to leave as they are (":" inside an IPv6 literal)
     */
    static String encode(String s, String keep) {
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~' || (c < 0x80 && keep.indexOf(c) >= 0)) {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return out.toString();
    }

    static String encode(String s) {
        return encode(s, "");
    }

    /**
     * Decodes {@code %XX} escapes the way libpq does ({@code +} stays a plus sign; {@code %00} is refused), or
     * additionally turns {@code +} into a space the way pgjdbc's decoder does.
     *
     * @param what names the part being decoded, for the error message (never the value: it may be a password)
     * @throws IllegalArgumentException on a malformed escape or bytes that are not UTF-8
     */
    static String decode(String s, boolean plusIsSpace, String what) {
        if (s.indexOf('%') < 0 && !(plusIsSpace && s.indexOf('+') >= 0)) {
            return s;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
                int lo = hi >= 0 ? Character.digit(s.charAt(i + 2), 16) : -1;
                if (lo < 0) {
                    throw ConnectionDraft.malformed("invalid percent-encoding in " + what
                            + " (write a literal % as %25)");
                }
                int b = hi * 16 + lo;
                if (b == 0) {
                    throw ConnectionDraft.malformed("%00 is not allowed in " + what);
                }
                bytes.write(b);
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                bytes.write(' ');
            } else {
                byte[] enc = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
                    enc = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                bytes.write(enc, 0, enc.length);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw ConnectionDraft.malformed("percent-encoded bytes in " + what + " are not valid UTF-8");
        }
    }
}
