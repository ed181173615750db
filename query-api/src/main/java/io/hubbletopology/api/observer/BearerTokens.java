package io.hubbletopology.api.observer;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.hubbletopology.api.access.AcceptedTokens;

/**
 * The API's bearer tokens, asked per call: {@code authorization: Bearer <token>} in the call's metadata, as
 * gRPC clients send per-RPC credentials (hubble-ui and grpcurl pass headers; hubble observe through a proxy).
 * A call without a current token ends UNAUTHENTICATED before any flow is read.
 */
final class BearerTokens implements ServerInterceptor {

    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final AcceptedTokens tokens;

    BearerTokens(AcceptedTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        if (!tokens.allows(headers.get(AUTHORIZATION), null)) {
            call.close(Status.UNAUTHENTICATED.withDescription("a bearer token is required: authorization: Bearer <token>"),
                    new Metadata());
            return new ServerCall.Listener<>() {
            };
        }
        return next.startCall(call, headers);
    }
}
