package io.hubbletopology.ingest.hubble;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NegotiationType;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;

/**
 * Opens the gRPC channel to Hubble: TCP to Relay or a node's Hubble, or the local agent's unix socket (epoll,
 * Linux only); plaintext, TLS or mTLS. Certificates are read once, at start, so a missing file fails at start.
 */
final class HubbleChannels {

    // A Hubble response is one flow; 16 MiB leaves room for huge L7 headers without letting one peer eat the heap.
    private static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

    private HubbleChannels() {
    }

    /** A channel and the event loop it owns (a unix socket needs its own epoll loop), closed together. */
    record OpenChannel(ManagedChannel channel, EventLoopGroup ownLoop) {
        void close() {
            channel.shutdownNow();
            try {
                channel.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (ownLoop != null) {
                ownLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            }
        }
    }

    static OpenChannel open(HubbleTarget target, HubbleTls tls) {
        NettyChannelBuilder builder;
        EventLoopGroup loop = null;
        if (target.unixSocket()) {
            loop = new EpollEventLoopGroup(1);
            builder = NettyChannelBuilder.forAddress(new DomainSocketAddress(target.socketPath()))
                    .eventLoopGroup(loop)
                    .channelType(EpollDomainSocketChannel.class);
        } else {
            builder = NettyChannelBuilder.forTarget(target.grpcTarget());
        }
        builder.maxInboundMessageSize(MAX_MESSAGE_BYTES);
        if (tls.enabled()) {
            builder.negotiationType(NegotiationType.TLS).sslContext(sslContext(tls));
            if (tls.serverName() != null) {
                builder.overrideAuthority(tls.serverName());
            }
        } else {
            builder.usePlaintext();
        }
        return new OpenChannel(builder.build(), loop);
    }

    private static SslContext sslContext(HubbleTls tls) {
        try {
            SslContextBuilder ssl = GrpcSslContexts.forClient();
            if (tls.caFile() != null) {
                ssl.trustManager(tls.caFile().toFile());
            }
            if (tls.certFile() != null) {
                ssl.keyManager(tls.certFile().toFile(), tls.keyFile().toFile());
            }
            return ssl.build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the TLS files for Hubble: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot use the TLS files for Hubble: " + e.getMessage(), e);
        }
    }
}
