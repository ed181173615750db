package io.hubbletopology.ingest.replay;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;

/**
 * One scalar JSON value (string, number, boolean) as the protobuf value of a field, by proto3's JSON rules as
 * protobuf's {@code JsonFormat} applies them: any scalar is a string field's text, numbers may come quoted,
 * {@code 1.0} and {@code 1e2} are integers, {@code "true"} is a boolean. Plain integers, the common case, are
 * read without {@link BigDecimal}.
 */
final class JsonScalars {

    // Longer integer texts are refused before BigDecimal sees them, so one value costs bounded work.
    private static final int MAX_INTEGER_CHARS = 64;
    private static final BigInteger MAX_UINT64 = new BigInteger("FFFFFFFFFFFFFFFF", 16);
    private static final double EPSILON = 1e-6;
    private static final BigDecimal MORE_THAN_ONE = new BigDecimal(String.valueOf(1.0 + EPSILON));
    private static final BigDecimal MAX_DOUBLE = new BigDecimal(String.valueOf(Double.MAX_VALUE)).multiply(MORE_THAN_ONE);
    private static final BigDecimal MIN_DOUBLE = new BigDecimal(String.valueOf(-Double.MAX_VALUE)).multiply(MORE_THAN_ONE);

    private JsonScalars() {
    }

    /** The value, or null for an enum name the enum does not declare (dropped, as JsonFormat drops it). */
    static Object read(JsonParser parser, JsonToken token, FieldDescriptor field, Map<String, EnumValueDescriptor> enumNames)
            throws IOException, MalformedLineException {
        boolean plainInt = token == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER;
        switch (field.getType()) {
            case STRING:
                return parser.getText();
            case BOOL:
                return bool(parser, token, field);
            case INT32, SINT32, SFIXED32:
                if (plainInt && parser.getNumberType() == JsonParser.NumberType.INT) {
                    return parser.getIntValue();
                }
                return int32(parser.getText(), field);
            case UINT32, FIXED32:
                if (plainInt) {
                    return uint32(parser.getLongValue(), field);
                }
                return uint32(parser.getText(), field);
            case INT64, SINT64, SFIXED64:
                if (plainInt) {
                    return parser.getLongValue();
                }
                return int64(parser.getText(), field);
            case UINT64, FIXED64:
                if (plainInt && parser.getLongValue() >= 0) {
                    return parser.getLongValue();
                }
                return uint64(parser.getText(), field);
            case FLOAT:
                return float32(parser.getText(), field);
            case DOUBLE:
                return float64(parser.getText(), field);
            case BYTES:
                return ProtoJsonReader.base64(parser.getText(), field);
            case ENUM:
                return enumValue(parser, token, field, enumNames);
            default:
                throw new MalformedLineException("field " + field.getFullName() + " has a type we do not read: " + field.getType());
        }
    }

    private static Boolean bool(JsonParser parser, JsonToken token, FieldDescriptor field) throws IOException, MalformedLineException {
        if (token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_STRING && "true".equals(parser.getText())) {
            return Boolean.TRUE;
        }
        if (token == JsonToken.VALUE_FALSE || token == JsonToken.VALUE_STRING && "false".equals(parser.getText())) {
            return Boolean.FALSE;
        }
        throw invalid(field, "a boolean", parser.getText());
    }

    private static EnumValueDescriptor enumValue(JsonParser parser, JsonToken token, FieldDescriptor field,
                                                 Map<String, EnumValueDescriptor> names) throws IOException {
        if (token == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() == JsonParser.NumberType.INT) {
            return field.getEnumType().findValueByNumberCreatingIfUnknown(parser.getIntValue());
        }
        String text = parser.getText();
        EnumValueDescriptor byName = names.get(text);
        if (byName != null) {
            return byName;
        }
        try {
            return field.getEnumType().findValueByNumberCreatingIfUnknown(int32(text, field));
        } catch (MalformedLineException notANumber) {
            // A name from a newer Cilium: the field is left out and the rest of the line kept.
            return null;
        }
    }

    static int int32(String text, FieldDescriptor field) throws MalformedLineException {
        long value = whole(text, field, "an int32");
        if (value != (int) value) {
            throw invalid(field, "an int32", text);
        }
        return (int) value;
    }

    static long int64(String text, FieldDescriptor field) throws MalformedLineException {
        return whole(text, field, "an int64");
    }

    /** A whole number in 64 bits, written as protobuf's JSON allows: digits, or a decimal or exponent form of one. */
    private static long whole(String text, FieldDescriptor field, String type) throws MalformedLineException {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            try {
                return decimal(text, field).longValueExact();
            } catch (ArithmeticException notWhole) {
                throw invalid(field, type, text);
            }
        }
    }

    private static int uint32(long value, FieldDescriptor field) throws MalformedLineException {
        if (value < 0 || value > 0xFFFF_FFFFL) {
            throw new MalformedLineException("field " + field.getFullName() + ": out of range uint32 value " + value);
        }
        return (int) value;
    }

    static int uint32(String text, FieldDescriptor field) throws MalformedLineException {
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            BigInteger integer = integral(text, field, "a uint32");
            if (integer.signum() < 0 || integer.bitLength() > 32) {
                throw new MalformedLineException("field " + field.getFullName() + ": out of range uint32 value " + text);
            }
            return integer.intValue();
        }
        return uint32(value, field);
    }

    static long uint64(String text, FieldDescriptor field) throws MalformedLineException {
        BigInteger integer = integral(text, field, "a uint64");
        if (integer.signum() < 0 || integer.compareTo(MAX_UINT64) > 0) {
            throw new MalformedLineException("field " + field.getFullName() + ": out of range uint64 value " + text);
        }
        return integer.longValue();
    }

    /** The integer a decimal text stands for ("1.0", "1e2"), without building the huge ones ("1e999999999"). */
    private static BigInteger integral(String text, FieldDescriptor field, String what) throws MalformedLineException {
        BigDecimal decimal = decimal(text, field);
        if (decimal.signum() == 0) {
            return BigInteger.ZERO;
        }
        BigDecimal stripped = decimal.stripTrailingZeros();
        if (stripped.scale() > 0) {
            throw invalid(field, what, text);
        }
        if (stripped.precision() - stripped.scale() > 21) {
            throw new MalformedLineException("field " + field.getFullName() + ": out of range value " + text);
        }
        return stripped.toBigIntegerExact();
    }

    private static BigDecimal decimal(String text, FieldDescriptor field) throws MalformedLineException {
        if (text.length() > MAX_INTEGER_CHARS) {
            throw new MalformedLineException("field " + field.getFullName() + ": number longer than " + MAX_INTEGER_CHARS + " characters");
        }
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw invalid(field, "a number", text);
        }
    }

    private static float float32(String text, FieldDescriptor field) throws MalformedLineException {
        Double named = named(text);
        if (named != null) {
            return named.floatValue();
        }
        double value;
        try {
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw invalid(field, "a float", text);
        }
        if (value > Float.MAX_VALUE * (1.0 + EPSILON) || value < -Float.MAX_VALUE * (1.0 + EPSILON)) {
            throw new MalformedLineException("field " + field.getFullName() + ": out of range float value " + text);
        }
        return (float) value;
    }

    private static double float64(String text, FieldDescriptor field) throws MalformedLineException {
        Double named = named(text);
        if (named != null) {
            return named;
        }
        BigDecimal value = decimal(text, field);
        if (value.compareTo(MAX_DOUBLE) > 0 || value.compareTo(MIN_DOUBLE) < 0) {
            throw new MalformedLineException("field " + field.getFullName() + ": out of range double value " + text);
        }
        return value.doubleValue();
    }

    /** The values protobuf's JSON writes as strings: "NaN", "Infinity", "-Infinity"; null for any other text. */
    private static Double named(String text) {
        return switch (text) {
            case "NaN" -> Double.NaN;
            case "Infinity" -> Double.POSITIVE_INFINITY;
            case "-Infinity" -> Double.NEGATIVE_INFINITY;
            default -> null;
        };
    }

    private static MalformedLineException invalid(FieldDescriptor field, String what, String text) {
        String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
        return new MalformedLineException("field " + field.getFullName() + " expects " + what + ", found \"" + shown + "\"");
    }
}
