package io.hubbletopology.simulator;

import static io.hubbletopology.simulator.Conversation.DEMO_PATH;

import java.util.List;
import java.util.SplittableRandom;

import io.hubbletopology.hubble.flow.DropReason;

/**
 * The demo's own small cluster, drawn by hand: 12 workloads on the map (a shop, payments, its data, CoreDNS, a
 * node exporter, and world, host, remote-node and api.stripe.com) on three nodes. Tests and the page's screenshots
 * know it by name, so it stays as it is; larger clusters come from {@link GeneratedLayout}.
 */
final class DemoLayout {

    static final int WORKLOADS = 12;

    private DemoLayout() {
    }

    static ClusterLayout build(SplittableRandom random) {
        OutsidePeer stripe = OutsidePeer.external("198.51.100.20", "api.stripe.com");
        Party frontend = Party.workload("shop", "frontend");
        Party cart = Party.workload("shop", "cart");
        Party checkout = Party.workload("shop", "checkout");
        Party paymentsApi = Party.workload("payments", "payments-api");
        Party postgres = Party.workload("data", "postgres");
        Party redis = Party.workload("data", "redis");
        return new ClusterLayout.Builder(List.of("sim-node-1", "sim-node-2", "sim-node-3"), random)
                .workload("shop", "Deployment", "frontend", 3)
                .workload("shop", "Deployment", "cart", 2)
                .workload("shop", "Deployment", "checkout", 2)
                .workload("payments", "Deployment", "payments-api", 2)
                .workload("data", "StatefulSet", "postgres", 2)
                .workload("data", "StatefulSet", "redis", 1)
                .workload("kube-system", "Deployment", "coredns", 2)
                .workload("monitoring", "DaemonSet", "node-exporter", 3)
                .talk(Conversation.http(OutsidePeer.WORLD, frontend, 8080, DEMO_PATH, 30))
                .talk(Conversation.http(frontend, cart, 8080, DEMO_PATH, 25))
                .talk(Conversation.http(frontend, checkout, 8080, DEMO_PATH, 10))
                .talk(Conversation.tcp(cart, redis, 6379, 20))
                .talk(Conversation.http(checkout, paymentsApi, 8443, DEMO_PATH, 8).dropping(0.02, DropReason.POLICY_DENIED))
                .talk(Conversation.tcp(checkout, postgres, 5432, 8))
                .talk(Conversation.tcp(paymentsApi, stripe, 443, 5))
                .talk(Conversation.tcp(paymentsApi, postgres, 5432, 5))
                // The frontend is not allowed to reach the database: every attempt is dropped by policy.
                .talk(Conversation.tcp(frontend, postgres, 5432, 3).dropping(1.0, DropReason.POLICY_DENIED))
                .talk(Conversation.dns(new Party.AnyPod(), Party.workload("kube-system", "coredns"), "cart.shop.svc.cluster.local.", 25))
                .talk(Conversation.tcp(OutsidePeer.HOST, cart, 8080, 6))
                .talk(Conversation.tcp(OutsidePeer.REMOTE_NODE, Party.workload("monitoring", "node-exporter"), 9100, 4))
                .talk(Conversation.tcp(redis, postgres, 5432, 1).dropping(0.3, DropReason.CT_MISSING_TCP_ACK_FLAG))
                .build(false);
    }
}
