package io.hubbletopology.processor.errors;

/** A store cannot be queried right now (the instance is starting, rebalancing or restoring). */
public final class StoreUnavailableException extends UnavailableException {

    public StoreUnavailableException(String store, String reason) {
        super("not_ready", "store " + store + " is not queryable: " + reason);
    }
}
