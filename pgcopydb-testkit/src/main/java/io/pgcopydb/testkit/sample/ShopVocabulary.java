package io.pgcopydb.testkit.sample;

import java.text.Normalizer;
import java.util.Locale;

/**
 * Fixed word lists the sample shop's rows are drawn from. Several entries deliberately contain tabs, newlines,
 * carriage returns, backslashes, quotes and non-ASCII text so that every table exercises COPY escaping.
 */
final class ShopVocabulary {
    static final String[] FIRST_NAMES = {
        "Anna", "Ben", "Chloé", "David", "Emma", "Fatima", "George", "Hana", "Ivan", "Julia", "Kenji", "Laura",
        "Mateo", "Nina", "Oliver", "Priya", "Quentin", "Rosa", "Søren", "Tomás", "Uma", "Victor", "Wei",
        "Xavier", "Yusuf", "Zoë", "Łukasz", "Ana María", "Jean-Luc", "Siobhán",
    };

    static final String[] LAST_NAMES = {
        "Smith", "Müller", "García", "O'Brien", "Nguyễn", "Kowalski", "Rossi", "Johansson", "Dubois", "Tanaka",
        "Kim", "Silva", "Novák", "Ivanov", "Öztürk", "van der Berg", "MacDonald", "Papadopoulos", "Horvat",
        "Jensen", "Cohen", "Patel", "Schröder", "Fernández", "Lefèvre", "Andersson", "Moreau", "Costa", "Yılmaz",
        "Wójcik",
    };

    /** ASCII forms of the names above, index for index, for building e-mail addresses. */
    static final String[] FIRST_NAME_SLUGS = slugs(FIRST_NAMES);
    static final String[] LAST_NAME_SLUGS = slugs(LAST_NAMES);

    static final String[] EMAIL_DOMAINS = {"example.com", "example.org", "example.net", "mail.example", "shop.test"};

    static final String[] PHONE_PREFIXES = {"+1", "+33", "+34", "+39", "+44", "+46", "+48", "+49", "+81"};

    static final String[] LANGUAGES = {"en", "de", "fr", "es", "it", "pl", "ja", "sv"};

    static final String[] CURRENCIES = {"EUR", "USD", "GBP", "SEK", "PLN", "JPY"};

    static final String[] CATEGORIES = {"books", "garden", "kitchen", "outdoor", "office", "toys", "music"};

    /** JSON string literals, already JSON-escaped. */
    static final String[] NICKNAMES = {
        "\"Zoë\"", "\"the \\\"boss\\\"\"", "\"back\\\\slash\"", "\"tab\\there\"", "\"☕ addict\"",
    };

    static final String[] CUSTOMER_NOTES = {
        "Leave parcel with neighbour\nFlat 3B",
        "VIP\tcall before delivery",
        "ID scan stored at C:\\scans\\id.pdf",
        "Zoë's gift account 🎁",
        "\\.",
        "\\N is a real note, not a NULL",
        "Tab\tand newline\nand CRLF\r\nand backslash \\ together",
        "",
        "   leading and trailing spaces   ",
        "Prefers invoices in 日本語",
    };

    static final String[] ADJECTIVES = {
        "Classic", "Compact", "Deluxe", "Eco", "Ergonomic", "Handmade", "Heavy-Duty", "Lightweight", "Modern",
        "Rustic", "Smart", "Vintage", "Waterproof", "Wireless",
    };

    static final String[] MATERIALS = {
        "Bamboo", "Cotton", "Oak", "Steel", "Ceramic", "Leather", "Wool", "Glass", "Linen", "Copper",
    };

    static final String[] PRODUCT_NOUNS = {
        "Chair", "Lamp", "Backpack", "Mug", "Kettle", "Blanket", "Desk", "Notebook", "Speaker", "Bottle",
        "Jacket", "Plant Pot", "Headphones", "Bicycle Bell", "Cutting Board",
    };

    static final String[] DESCRIPTIONS = {
        "Dishwasher safe. Ships in recycled packaging.",
        "Dimensions:\t30 × 20 × 10 cm\nWeight:\t1.2 kg",
        "Includes a 2-year warranty™ and a ½-price refill.",
        "Driver installs to C:\\Program Files\\Shop\\",
        "Our bestseller 🚲 — now in more colours!",
        "Line one\r\nLine two (Windows line endings)",
        "Looks like \"quoted\" text, isn't it?",
    };

    static final String[] TAGS = {
        "new", "sale", "bestseller", "eco-friendly", "gift idea", "kids' toys", "12\" vinyl", "salt, pepper & co",
        "café", "back\\slash", "{braces}", "outdoor", "limited edition", "NULL",
    };

    static final String[] STREETS = {
        "Baker Street", "Hauptstraße", "Rue de Rivoli", "Calle Mayor", "Via Roma", "Main St", "Åsgatan",
        "ulica Długa", "Kungsgatan",
    };

    static final String[] CITIES = {
        "London", "Berlin", "Paris", "Madrid", "Roma", "Springfield", "Malmö", "Kraków", "Tōkyō",
    };

    static final String[] COUPONS = {"WELCOME10", "SPRING25", "BLACKFRIDAY", "FREESHIP", "VIP-2025"};

    private ShopVocabulary() {
    }

    private static String[] slugs(String[] names) {
        String[] slugs = new String[names.length];
        for (int i = 0; i < names.length; i++) {
            slugs[i] = slug(names[i]);
        }
        return slugs;
    }

    /** Lower-case ASCII letters only: accents are stripped, letters without a decomposition are mapped. */
    static String slug(String name) {
        String decomposed = Normalizer.normalize(name, Normalizer.Form.NFD).toLowerCase(Locale.ROOT);
        StringBuilder out = new StringBuilder(decomposed.length());
        for (int i = 0; i < decomposed.length(); i++) {
            char c = decomposed.charAt(i);
            switch (c) {
                case 'ł' -> out.append('l');
                case 'ø' -> out.append('o');
                case 'ı' -> out.append('i');
                case 'đ' -> out.append('d');
                default -> {
                    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
