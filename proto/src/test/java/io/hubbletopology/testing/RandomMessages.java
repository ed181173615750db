package io.hubbletopology.testing;

import java.util.List;
import java.util.Random;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;

/**
 * Random messages made by walking a descriptor, for the fuzz tests: every field may be set, nested messages to
 * their full depth, at most one field of each oneof, repeated fields with 0 to 3 elements, enums by any declared
 * value or by a number the enum does not declare, integers across their whole range, strings with the
 * characters JSON must escape. Seeded, so a failure can be replayed.
 *
 * <p>{@link #sparse} sets few fields and draws half its strings from words that mean something to the code under
 * test, so a request gets past the first check it fails and into the code behind it.
 */
public final class RandomMessages {

    private static final String ALPHABET = "ab-_./:=019 \"\\\n\t\u0001\u00e9\u4e2d\ud83d\ude00";
    // Timestamp's valid range, 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z.
    private static final long MIN_SECONDS = -62_135_596_800L;
    private static final long MAX_SECONDS = 253_402_300_799L;

    private final Random random;
    /** Out of 10, how many fields are left unset. */
    private final int unsetTenths;
    private final List<String> words;

    public RandomMessages(Random random) {
        this(random, 3, List.of());
    }

    private RandomMessages(Random random, int unsetTenths, List<String> words) {
        this.random = random;
        this.unsetTenths = unsetTenths;
        this.words = words;
    }

    /** Each field set once in five, and a string one of {@code words} half the time. */
    public static RandomMessages sparse(Random random, List<String> words) {
        return new RandomMessages(random, 8, List.copyOf(words));
    }

    public Message.Builder fill(Message.Builder builder) {
        Descriptor type = builder.getDescriptorForType();
        for (FieldDescriptor field : type.getFields()) {
            OneofDescriptor oneof = field.getRealContainingOneof();
            if (oneof != null && builder.hasOneof(oneof) || random.nextInt(10) < unsetTenths) {
                continue;
            }
            if (field.isRepeated()) {
                int n = random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    builder.addRepeatedField(field, value(builder, field));
                }
            } else {
                builder.setField(field, value(builder, field));
            }
        }
        return builder;
    }

    private Object value(Message.Builder parent, FieldDescriptor field) {
        return switch (field.getJavaType()) {
            case INT -> switch (random.nextInt(4)) {
                case 0 -> 0;
                case 1 -> random.nextInt(70_000);
                case 2 -> random.nextBoolean() ? Integer.MAX_VALUE : Integer.MIN_VALUE;
                default -> random.nextInt();
            };
            case LONG -> switch (random.nextInt(4)) {
                case 0 -> 0L;
                case 1 -> (long) random.nextInt(1_000_000);
                case 2 -> random.nextBoolean() ? Long.MAX_VALUE : Long.MIN_VALUE;
                default -> random.nextLong();
            };
            case BOOLEAN -> random.nextBoolean();
            case FLOAT -> random.nextFloat() * 1e6f;
            case DOUBLE -> random.nextDouble() * 1e12;
            case STRING -> text();
            case BYTE_STRING -> ByteString.copyFrom(text().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            case ENUM -> enumValue(field.getEnumType());
            case MESSAGE -> message(parent, field);
        };
    }

    private Object enumValue(EnumDescriptor type) {
        if (random.nextInt(8) == 0) {
            // proto3 enums are open: a number a newer Hubble declares and we do not.
            return type.findValueByNumberCreatingIfUnknown(1_000 + random.nextInt(1_000));
        }
        return type.getValues().get(random.nextInt(type.getValues().size()));
    }

    private Object message(Message.Builder parent, FieldDescriptor field) {
        Message.Builder inner = parent.newBuilderForField(field);
        if (field.getMessageType().equals(Timestamp.getDescriptor())) {
            long seconds = random.nextInt(3) == 0 ? MIN_SECONDS + (long) (random.nextDouble() * (MAX_SECONDS - MIN_SECONDS))
                    : 1_700_000_000L + random.nextInt(200_000_000);
            int nanos = switch (random.nextInt(4)) {
                case 0 -> 0;
                case 1 -> random.nextInt(1_000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            return Timestamp.newBuilder().setSeconds(seconds).setNanos(nanos).build();
        }
        return fill(inner).build();
    }

    public String text() {
        if (!words.isEmpty() && random.nextBoolean()) {
            return words.get(random.nextInt(words.size()));
        }
        int n = random.nextInt(12);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            char c = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
            if (Character.isHighSurrogate(c)) {
                c = 'x';
            }
            s.append(c);
        }
        if (random.nextInt(10) == 0) {
            s.append("\ud83d\ude00");
        }
        return s.toString();
    }
}
