package io.pgcopydb.testkit.sample;

import static io.pgcopydb.testkit.sample.ShopVocabulary.*;

import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generates the sample shop's rows in COPY text format.
 *
 * <p>Each table draws from its own {@link SplittableRandom} seeded from (seed, table name), so a table's rows do
 * not depend on which tables were written before it. Values another table must agree on (an order's
 * {@code ordered_at}, its number of lines, a product's price) are pure functions of (seed, id) instead, which
 * keeps foreign keys right without holding any table in memory. Only integer arithmetic and
 * {@code SplittableRandom} are used so the output is identical on every JVM.
 *
 * <p>Immutable and thread-safe.
 */
final class SampleRows {
    /** Row counts at scale 1, picked so the loaded database is about 50 MB. */
    static final long BASE_CUSTOMERS = 20_000;
    static final long BASE_PRODUCTS = 2_000;
    static final long BASE_ORDERS = 80_000;

    static final int MAX_LINES_PER_ORDER = 5;

    /** The tables that receive rows, in load order (parents before children). */
    enum Table {
        CUSTOMERS("shop.customers",
                "customer_id", "first_name", "last_name", "email", "phone", "preferences", "notes", "created_at"),
        PRODUCTS("shop.products",
                "product_id", "sku", "name", "description", "price", "tags", "discontinued"),
        ORDERS("shop.orders",
                "order_id", "customer_id", "ordered_at", "status", "shipping_address", "coupon_code", "shipped_at"),
        ORDER_LINES("shop.order_lines",
                "order_id", "line_no", "ordered_at", "product_id", "quantity", "unit_price");

        static final List<String> NAMES = Arrays.stream(values()).map(t -> t.qualifiedName).toList();

        final String qualifiedName;
        /** Every column COPY fills: all of them except the generated {@code full_name}. */
        final List<String> copyColumns;

        Table(String qualifiedName, String... copyColumns) {
            this.qualifiedName = qualifiedName;
            this.copyColumns = List.of(copyColumns);
        }

        static Table named(String qualifiedName) {
            for (Table table : values()) {
                if (table.qualifiedName.equals(qualifiedName)) {
                    return table;
                }
            }
            throw new IllegalArgumentException("not a sample data table: " + qualifiedName + ", expected one of "
                    + String.join(", ", NAMES));
        }
    }

    private static final long HOUR_MICROS = 3_600_000_000L;
    private static final long DAY_MICROS = 24 * HOUR_MICROS;
    private static final long SIGNUPS_FROM = micros("2019-01-01T00:00:00Z");
    private static final long YEAR_START = micros("2025-01-01T00:00:00Z");
    private static final long YEAR_END = micros("2026-01-01T00:00:00Z");
    /** Orders outside 2025 land in the DEFAULT partition. */
    private static final long EARLY_ORDERS_FROM = micros("2024-07-01T00:00:00Z");
    private static final long LATE_ORDERS_UNTIL = micros("2026-04-01T00:00:00Z");

    private final long seed;
    private final long customers;
    private final long products;
    private final long orders;
    private final long orderedAtStream;
    private final long lineCountStream;
    private final long priceStream;
    /** Computed on first use; racing threads compute the same value, so no locking is needed. */
    private volatile long orderLines = -1;

    SampleRows(double scale, long seed) {
        this.seed = seed;
        this.customers = scaled(BASE_CUSTOMERS, scale);
        this.products = scaled(BASE_PRODUCTS, scale);
        this.orders = scaled(BASE_ORDERS, scale);
        this.orderedAtStream = streamSeed(seed, "shop.orders.ordered_at");
        this.lineCountStream = streamSeed(seed, "shop.order_lines.count");
        this.priceStream = streamSeed(seed, "shop.products.price");
    }

    static long scaled(long base, double scale) {
        return Math.max(1L, Math.round(base * scale));
    }

    long expectedRows(Table table) {
        return switch (table) {
            case CUSTOMERS -> customers;
            case PRODUCTS -> products;
            case ORDERS -> orders;
            case ORDER_LINES -> orderLines();
        };
    }

    void write(Table table, Writer out) throws IOException {
        SplittableRandom random = new SplittableRandom(streamSeed(seed, table.qualifiedName));
        CopyRow row = new CopyRow();
        switch (table) {
            case CUSTOMERS -> writeCustomers(random, row, out);
            case PRODUCTS -> writeProducts(random, row, out);
            case ORDERS -> writeOrders(random, row, out);
            case ORDER_LINES -> writeOrderLines(random, row, out);
        }
    }

    private long orderLines() {
        long count = orderLines;
        if (count < 0) {
            count = 0;
            for (long orderId = 1; orderId <= orders; orderId++) {
                count += lineCount(orderId);
            }
            orderLines = count;
        }
        return count;
    }

    private void writeCustomers(SplittableRandom r, CopyRow row, Writer out) throws IOException {
        for (long id = 1; id <= customers; id++) {
            int first = r.nextInt(FIRST_NAMES.length);
            int last = r.nextInt(LAST_NAMES.length);
            row.number(id).text(FIRST_NAMES[first]).text(LAST_NAMES[last]).text(email(r, id, first, last))
                    .text(phone(r)).text(preferences(r)).text(orNull(r, 15, CUSTOMER_NOTES))
                    .timestamp(between(r, SIGNUPS_FROM, YEAR_START)).writeTo(out);
        }
    }

    private void writeProducts(SplittableRandom r, CopyRow row, Writer out) throws IOException {
        for (long id = 1; id <= products; id++) {
            String name = pick(r, ADJECTIVES) + ' ' + pick(r, MATERIALS) + ' ' + pick(r, PRODUCT_NOUNS);
            row.number(id).text(sku(id)).text(name).text(orNull(r, 70, DESCRIPTIONS)).cents(priceCents(id))
                    .text(CopyRow.arrayLiteral(tags(r))).bool(r.nextInt(20) == 0).writeTo(out);
        }
    }

    private void writeOrders(SplittableRandom r, CopyRow row, Writer out) throws IOException {
        for (long id = 1; id <= orders; id++) {
            long orderedAt = orderedAt(id);
            String status = status(r);
            row.number(id).number(1 + r.nextLong(customers)).timestamp(orderedAt).text(status)
                    .text(shippingAddress(r)).text(orNull(r, 12, COUPONS));
            if (status.equals("shipped") || status.equals("delivered")) {
                row.timestamp(orderedAt + between(r, HOUR_MICROS, 5 * DAY_MICROS));
            } else {
                row.nullValue();
            }
            row.writeTo(out);
        }
    }

    private void writeOrderLines(SplittableRandom r, CopyRow row, Writer out) throws IOException {
        for (long orderId = 1; orderId <= orders; orderId++) {
            long orderedAt = orderedAt(orderId);
            int lines = lineCount(orderId);
            for (int lineNo = 1; lineNo <= lines; lineNo++) {
                long productId = 1 + r.nextLong(products);
                long price = priceCents(productId);
                long unitPrice = r.nextInt(10) == 0 ? price * 9 / 10 : price;
                row.number(orderId).number(lineNo).timestamp(orderedAt).number(productId).number(quantity(r))
                        .cents(unitPrice).writeTo(out);
            }
        }
    }

    // Values shared between tables: pure functions of (seed, id).

    /** Mostly within 2025 (the monthly partitions); about 3% before or after, for the DEFAULT partition. */
    private long orderedAt(long orderId) {
        SplittableRandom r = entityRandom(orderedAtStream, orderId);
        int bucket = r.nextInt(100);
        if (bucket < 2) {
            return between(r, EARLY_ORDERS_FROM, YEAR_START);
        }
        if (bucket < 3) {
            return between(r, YEAR_END, LATE_ORDERS_UNTIL);
        }
        return between(r, YEAR_START, YEAR_END);
    }

    private int lineCount(long orderId) {
        return entityRandom(lineCountStream, orderId).nextInt(1, MAX_LINES_PER_ORDER + 1);
    }

    /** Skewed towards cheap items, with psychological endings; about 2% are free. */
    private long priceCents(long productId) {
        SplittableRandom r = entityRandom(priceStream, productId);
        if (r.nextInt(50) == 0) {
            return 0;
        }
        long euros = 1 + r.nextInt(1 + r.nextInt(500));
        int[] endings = {99, 95, 49, 0};
        return euros * 100 + endings[r.nextInt(endings.length)];
    }

    // Column values drawn from a table's own random stream.

    private static String email(SplittableRandom r, long id, int first, int last) {
        String local = r.nextInt(5) == 0
                ? FIRST_NAME_SLUGS[first].charAt(0) + LAST_NAME_SLUGS[last]
                : FIRST_NAME_SLUGS[first] + '.' + LAST_NAME_SLUGS[last];
        // The id keeps addresses unique however many customers share a name.
        return local + id + '@' + pick(r, EMAIL_DOMAINS);
    }

    private static String phone(SplittableRandom r) {
        if (r.nextInt(5) == 0) {
            return null;
        }
        return pick(r, PHONE_PREFIXES) + ' ' + r.nextInt(100, 1000) + ' ' + r.nextInt(1_000_000, 10_000_000);
    }

    private static String preferences(SplittableRandom r) {
        StringBuilder json = new StringBuilder(160);
        json.append("{\"newsletter\": ").append(r.nextInt(3) == 0)
                .append(", \"language\": \"").append(pick(r, LANGUAGES))
                .append("\", \"currency\": \"").append(pick(r, CURRENCIES)).append('"');
        List<String> categories = distinct(r, CATEGORIES, r.nextInt(4));
        if (!categories.isEmpty()) {
            json.append(", \"categories\": [\"").append(String.join("\", \"", categories)).append("\"]");
        }
        if (r.nextInt(10) == 0) {
            json.append(", \"nickname\": ").append(pick(r, NICKNAMES));
        }
        if (r.nextInt(5) == 0) {
            json.append(", \"delivery\": {\"window\": \"").append(r.nextInt(8, 20)).append(":00\", \"leave_at_door\": ")
                    .append(r.nextBoolean()).append('}');
        }
        return json.append('}').toString();
    }

    private static String sku(long id) {
        StringBuilder sku = new StringBuilder("SKU-");
        CopyRow.appendPadded(sku, id, 6);
        return sku.toString();
    }

    private static List<String> tags(SplittableRandom r) {
        return distinct(r, TAGS, r.nextInt(4));
    }

    private static String status(SplittableRandom r) {
        int p = r.nextInt(100);
        if (p < 8) {
            return "pending";
        }
        if (p < 18) {
            return "paid";
        }
        if (p < 33) {
            return "shipped";
        }
        if (p < 88) {
            return "delivered";
        }
        return p < 96 ? "cancelled" : "refunded";
    }

    /** Two lines; about 3% NULL, for digital-only orders. */
    private static String shippingAddress(SplittableRandom r) {
        if (r.nextInt(100) < 3) {
            return null;
        }
        return r.nextInt(1, 200) + " " + pick(r, STREETS) + '\n' + r.nextInt(10_000, 100_000) + ' ' + pick(r, CITIES);
    }

    private static int quantity(SplittableRandom r) {
        return r.nextInt(10) == 0 ? r.nextInt(4, 25) : r.nextInt(1, 4);
    }

    private static String orNull(SplittableRandom r, int percentPresent, String[] values) {
        return r.nextInt(100) < percentPresent ? pick(r, values) : null;
    }

    private static String pick(SplittableRandom r, String[] values) {
        return values[r.nextInt(values.length)];
    }

    /** {@code count} different values, in the order drawn. */
    private static List<String> distinct(SplittableRandom r, String[] values, int count) {
        List<String> chosen = new ArrayList<>(count);
        while (chosen.size() < count) {
            String value = pick(r, values);
            if (!chosen.contains(value)) {
                chosen.add(value);
            }
        }
        return chosen;
    }

    private static long between(SplittableRandom r, long fromInclusive, long untilExclusive) {
        return r.nextLong(fromInclusive, untilExclusive);
    }

    private static long micros(String instant) {
        return Instant.parse(instant).getEpochSecond() * 1_000_000L;
    }

    // Seeding.

    /** A well-mixed seed for one named stream of randomness. */
    static long streamSeed(long seed, String stream) {
        long h = mix64(seed ^ 0x9E3779B97F4A7C15L);
        for (int i = 0; i < stream.length(); i++) {
            h = mix64(h ^ stream.charAt(i));
        }
        return h;
    }

    private static SplittableRandom entityRandom(long streamSeed, long id) {
        return new SplittableRandom(mix64(streamSeed + id * 0x9E3779B97F4A7C15L));
    }

    /** SplitMix64's finaliser. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
