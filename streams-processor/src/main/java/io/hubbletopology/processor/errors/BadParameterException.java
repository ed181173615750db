package io.hubbletopology.processor.errors;

/** A request parameter that cannot be used; the answer names it. */
public final class BadParameterException extends QueryException {

    private final String parameter;

    public BadParameterException(String parameter, String message) {
        super(Reason.BAD_PARAMETER, "bad_parameter", message);
        this.parameter = parameter;
    }

    /** The value of a parameter that must be given: {@code value} itself, unless it is missing or blank. */
    public static String required(String parameter, String value) {
        if (value == null || value.isBlank()) {
            throw new BadParameterException(parameter, "is required");
        }
        return value;
    }

    public String parameter() {
        return parameter;
    }
}
