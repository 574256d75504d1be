package kaohe;

/**
 * A failed kaohe operation: the ruleset, the facts, the ledger or the options have errors.
 *
 * <p>{@link #errorsJson()} is the contract's {@code {"api_version":1,"errors":[…]}} (docs/api.md):
 * every error with its stable {@code code}, {@code severity}, {@code message}, optional
 * {@code help} and its location ({@code file}/{@code line}/{@code column}/{@code end} in a
 * ruleset, {@code path} in a fact file, {@code sheet}/{@code cell} in a ledger). It is
 * unchecked, so it passes through lambdas and Spring's exception handlers.
 */
public class KaoheException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String errorsJson;

    /** Called by the native library. */
    public KaoheException(String summary, String errorsJson) {
        super(summary);
        this.errorsJson = errorsJson;
    }

    /** The errors as JSON: {@code {"api_version":1,"errors":[…]}}. */
    public String errorsJson() {
        return errorsJson;
    }
}
