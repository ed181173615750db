package io.hubbletopology.flowfilter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

import com.google.protobuf.BoolValue;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.UnknownFieldSet;

import io.hubbletopology.hubble.flow.CiliumEventType;
import io.hubbletopology.hubble.flow.DNS;
import io.hubbletopology.hubble.flow.DropReason;
import io.hubbletopology.hubble.flow.Endpoint;
import io.hubbletopology.hubble.flow.EventTypeFilter;
import io.hubbletopology.hubble.flow.Flow;
import io.hubbletopology.hubble.flow.FlowFilter;
import io.hubbletopology.hubble.flow.HTTP;
import io.hubbletopology.hubble.flow.IP;
import io.hubbletopology.hubble.flow.IPVersion;
import io.hubbletopology.hubble.flow.Layer4;
import io.hubbletopology.hubble.flow.Layer7;
import io.hubbletopology.hubble.flow.Service;
import io.hubbletopology.hubble.flow.TCP;
import io.hubbletopology.hubble.flow.TCPFlags;
import io.hubbletopology.hubble.flow.TraceContext;
import io.hubbletopology.hubble.flow.TraceParent;
import io.hubbletopology.hubble.flow.TrafficDirection;
import io.hubbletopology.hubble.flow.UDP;
import io.hubbletopology.hubble.flow.Verdict;
import io.hubbletopology.hubble.flow.Workload;

class FlowFilterMatcherTest {

    /** A TCP flow from shop/frontend to data/postgres, forwarded, on cluster-a/worker-1. */
    private static final Flow BASE = Flow.newBuilder()
            .setUuid("u-1")
            .setVerdict(Verdict.FORWARDED)
            .setIP(IP.newBuilder().setSource("10.0.1.6").setDestination("10.0.2.5").setIpVersion(IPVersion.IPv4))
            .setL4(Layer4.newBuilder().setTCP(TCP.newBuilder().setSourcePort(44916).setDestinationPort(5432)
                    .setFlags(TCPFlags.newBuilder().setSYN(true).setACK(true))))
            .setSource(Endpoint.newBuilder().setNamespace("shop").setPodName("frontend-7d9f").setIdentity(1234)
                    .addLabels("k8s:app=frontend").addLabels("k8s:tier=web")
                    .addWorkloads(Workload.newBuilder().setName("frontend").setKind("Deployment")))
            .setDestination(Endpoint.newBuilder().setNamespace("data").setPodName("postgres-0").setIdentity(5678)
                    .addLabels("k8s:app=postgres")
                    .addWorkloads(Workload.newBuilder().setName("postgres").setKind("StatefulSet")))
            .addSourceNames("frontend.shop.example.com")
            .addDestinationNames("db.example.com")
            .setSourceService(Service.newBuilder().setNamespace("shop").setName("frontend"))
            .setDestinationService(Service.newBuilder().setNamespace("data").setName("postgres"))
            .setNodeName("cluster-a/worker-1")
            .setTrafficDirection(TrafficDirection.EGRESS)
            .setIsReply(BoolValue.of(false))
            .setEventType(CiliumEventType.newBuilder().setType(4).setSubType(3))
            .setTraceContext(TraceContext.newBuilder().setParent(TraceParent.newBuilder().setTraceId("abc123")))
            .build();

    private static Flow with(UnaryOperator<Flow.Builder> change) {
        return change.apply(BASE.toBuilder()).build();
    }

    private static final Flow HTTP_FLOW = with(b -> b.setL7(Layer7.newBuilder()
            .setHttp(HTTP.newBuilder().setCode(404).setMethod("GET").setUrl("http://api.shop/v1/cart?id=3"))));
    private static final Flow DNS_FLOW = with(b -> b.setL4(Layer4.newBuilder().setUDP(UDP.newBuilder().setSourcePort(5353).setDestinationPort(53)))
            .setL7(Layer7.newBuilder().setDns(DNS.newBuilder().setQuery("kubernetes.default.svc.cluster.local."))));

    /** For each FlowFilter field: a filter on it, a flow it keeps and a flow it does not. */
    private record Case(FlowFilter filter, Flow kept, Flow left) {
    }

    private static Case c(UnaryOperator<FlowFilter.Builder> filter, Flow kept, Flow left) {
        return new Case(filter.apply(FlowFilter.newBuilder()).build(), kept, left);
    }

    private static Map<String, Case> cases() {
        Map<String, Case> m = new LinkedHashMap<>();
        m.put("uuid", c(f -> f.addUuid("u-1"), BASE, with(b -> b.setUuid("u-2"))));
        m.put("source_ip", c(f -> f.addSourceIp("10.0.1.0/24"), BASE, with(b -> b.setIP(BASE.getIP().toBuilder().setSource("10.0.3.6")))));
        m.put("destination_ip", c(f -> f.addDestinationIp("10.0.2.5"), BASE, with(b -> b.setIP(BASE.getIP().toBuilder().setDestination("10.0.2.6")))));
        m.put("source_pod", c(f -> f.addSourcePod("shop/front"), BASE, with(b -> b.setSource(BASE.getSource().toBuilder().setNamespace("other")))));
        m.put("destination_pod", c(f -> f.addDestinationPod("data/"), BASE, with(b -> b.setDestination(BASE.getDestination().toBuilder().setNamespace("x")))));
        m.put("source_fqdn", c(f -> f.addSourceFqdn("*.shop.example.com"), BASE, with(b -> b.clearSourceNames().addSourceNames("a.b.shop.example.com"))));
        m.put("destination_fqdn", c(f -> f.addDestinationFqdn("db.example.com."), BASE, with(b -> b.clearDestinationNames())));
        m.put("source_label", c(f -> f.addSourceLabel("app=frontend,tier in (web,edge)"), BASE,
                with(b -> b.setSource(BASE.getSource().toBuilder().clearLabels().addLabels("k8s:app=frontend").addLabels("k8s:tier=db")))));
        m.put("destination_label", c(f -> f.addDestinationLabel("k8s:app=postgres"), BASE,
                with(b -> b.setDestination(BASE.getDestination().toBuilder().clearLabels().addLabels("container:app=postgres")))));
        m.put("source_service", c(f -> f.addSourceService("shop/front"), BASE, with(b -> b.clearSourceService())));
        m.put("destination_service", c(f -> f.addDestinationService("postgres"), BASE,
                with(b -> b.setDestinationService(Service.newBuilder().setNamespace("data").setName("redis")))));
        m.put("source_workload", c(f -> f.addSourceWorkload(Workload.newBuilder().setName("frontend")), BASE,
                with(b -> b.setSource(BASE.getSource().toBuilder().clearWorkloads()))));
        m.put("destination_workload", c(f -> f.addDestinationWorkload(Workload.newBuilder().setKind("StatefulSet")), BASE,
                with(b -> b.setDestination(BASE.getDestination().toBuilder().setWorkloads(0, Workload.newBuilder().setName("postgres").setKind("Deployment"))))));
        m.put("traffic_direction", c(f -> f.addTrafficDirection(TrafficDirection.EGRESS), BASE, with(b -> b.setTrafficDirection(TrafficDirection.INGRESS))));
        m.put("verdict", c(f -> f.addVerdict(Verdict.FORWARDED), BASE, with(b -> b.setVerdict(Verdict.DROPPED))));
        m.put("drop_reason_desc", c(f -> f.addDropReasonDesc(DropReason.POLICY_DENIED),
                with(b -> b.setVerdict(Verdict.DROPPED).setDropReasonDesc(DropReason.POLICY_DENIED)),
                with(b -> b.setVerdict(Verdict.DROPPED).setDropReasonDesc(DropReason.CT_MAP_INSERTION_FAILED))));
        m.put("http_status_code", c(f -> f.addHttpStatusCode("4+"), HTTP_FLOW,
                with(b -> b.setL7(Layer7.newBuilder().setHttp(HTTP.newBuilder().setCode(200))))));
        m.put("protocol", c(f -> f.addProtocol("TCP"), BASE, DNS_FLOW));
        m.put("source_port", c(f -> f.addSourcePort("44916"), BASE, DNS_FLOW));
        m.put("destination_port", c(f -> f.addDestinationPort("5432"), BASE, DNS_FLOW));
        m.put("reply", c(f -> f.addReply(false), with(b -> b.clearIsReply()), with(b -> b.setIsReply(BoolValue.of(true)))));
        m.put("dns_query", c(f -> f.addDnsQuery("kube.*local"), DNS_FLOW, BASE));
        m.put("source_identity", c(f -> f.addSourceIdentity(1234), BASE, with(b -> b.setSource(BASE.getSource().toBuilder().setIdentity(2)))));
        m.put("destination_identity", c(f -> f.addDestinationIdentity(5678), BASE, with(b -> b.setDestination(BASE.getDestination().toBuilder().setIdentity(2)))));
        m.put("node_name", c(f -> f.addNodeName("worker-*"), BASE, with(b -> b.setNodeName("cluster-a/control-plane"))));
        m.put("event_type", c(f -> f.addEventType(EventTypeFilter.newBuilder().setType(4).setMatchSubType(true).setSubType(3)), BASE,
                with(b -> b.setEventType(CiliumEventType.newBuilder().setType(4).setSubType(0)))));
        m.put("http_method", c(f -> f.addHttpMethod("get"), HTTP_FLOW, BASE));
        m.put("http_path", c(f -> f.addHttpPath("^/v1/ca"), HTTP_FLOW,
                with(b -> b.setL7(Layer7.newBuilder().setHttp(HTTP.newBuilder().setUrl("http://api.shop/v2/cart"))))));
        m.put("tcp_flags", c(f -> f.addTcpFlags(TCPFlags.newBuilder().setSYN(true)), BASE,
                with(b -> b.setL4(Layer4.newBuilder().setTCP(TCP.newBuilder().setFlags(TCPFlags.newBuilder().setACK(true)))))));
        m.put("ip_version", c(f -> f.addIpVersion(IPVersion.IPv4), BASE, with(b -> b.setIP(BASE.getIP().toBuilder().setIpVersion(IPVersion.IPv6)))));
        m.put("trace_id", c(f -> f.addTraceId("abc123"), BASE, with(b -> b.clearTraceContext())));
        return m;
    }

    @Test
    void everyFlowFilterFieldIsHandledAndTested() {
        Map<String, Case> cases = cases();
        for (FieldDescriptor field : FlowFilter.getDescriptor().getFields()) {
            assertThat(cases).as("a case for FlowFilter.%s (%d)", field.getName(), field.getNumber()).containsKey(field.getName());
        }
        assertThat(cases.keySet()).allSatisfy(name -> assertThat(FlowFilter.getDescriptor().findFieldByName(name)).isNotNull());
    }

    @Test
    void eachFieldKeepsTheFlowThatMatchesAndLeavesTheOne() {
        cases().forEach((name, c) -> {
            FlowFilterMatcher whitelist = FlowFilterMatcher.of(List.of(c.filter()), List.of());
            assertThat(whitelist.test(c.kept())).as("%s keeps its flow", name).isTrue();
            assertThat(whitelist.test(c.left())).as("%s leaves the other flow", name).isFalse();
            FlowFilterMatcher blacklist = FlowFilterMatcher.of(List.of(), List.of(c.filter()));
            assertThat(blacklist.test(c.kept())).as("%s as blacklist drops its flow", name).isFalse();
            assertThat(blacklist.test(c.left())).as("%s as blacklist keeps the other", name).isTrue();
        });
    }

    @Test
    void fieldsInOneFilterAreAndedValuesInOneFieldOredFiltersInOneListOred() {
        FlowFilter both = FlowFilter.newBuilder().addVerdict(Verdict.FORWARDED).addDestinationPort("5432").build();
        FlowFilter wrongPort = FlowFilter.newBuilder().addVerdict(Verdict.FORWARDED).addDestinationPort("80").build();
        FlowFilter anyPort = FlowFilter.newBuilder().addDestinationPort("80").addDestinationPort("5432").build();
        assertThat(FlowFilterMatcher.of(List.of(both), List.of()).test(BASE)).isTrue();
        assertThat(FlowFilterMatcher.of(List.of(wrongPort), List.of()).test(BASE)).isFalse();
        assertThat(FlowFilterMatcher.of(List.of(anyPort), List.of()).test(BASE)).isTrue();
        assertThat(FlowFilterMatcher.of(List.of(wrongPort, both), List.of()).test(BASE)).isTrue();
        assertThat(FlowFilterMatcher.of(List.of(both), List.of(anyPort)).test(BASE)).isFalse();
        assertThat(FlowFilterMatcher.ALL.test(BASE)).isTrue();
    }

    @Test
    void anEventTypeWithoutMatchSubTypeTakesEverySubtypeAndWithItOnlyThatOneZeroIncluded() {
        // BASE is a trace at to-stack (4:3).
        Flow toEndpoint = with(b -> b.setEventType(CiliumEventType.newBuilder().setType(4).setSubType(0)));
        Flow drop = with(b -> b.setEventType(CiliumEventType.newBuilder().setType(1).setSubType(133)));
        FlowFilter trace = FlowFilter.newBuilder().addEventType(EventTypeFilter.newBuilder().setType(4)).build();
        FlowFilter traceToEndpoint = FlowFilter.newBuilder().addEventType(EventTypeFilter.newBuilder().setType(4)
                .setMatchSubType(true).setSubType(0)).build();
        FlowFilter traceToEndpointOrDrop = traceToEndpoint.toBuilder().addEventType(EventTypeFilter.newBuilder().setType(1)).build();
        assertThat(List.of(BASE, toEndpoint, drop)).map(f -> FlowFilterMatcher.of(List.of(trace), List.of()).test(f))
                .containsExactly(true, true, false);
        assertThat(List.of(BASE, toEndpoint, drop)).map(f -> FlowFilterMatcher.of(List.of(traceToEndpoint), List.of()).test(f))
                .containsExactly(false, true, false);
        assertThat(List.of(BASE, toEndpoint, drop)).map(f -> FlowFilterMatcher.of(List.of(traceToEndpointOrDrop), List.of()).test(f))
                .containsExactly(false, true, true);
        assertThat(FlowFilterMatcher.of(List.of(trace), List.of()).test(with(Flow.Builder::clearEventType))).isFalse();
    }

    @Test
    void hubbleObservePortSetsBothEndsInTwoFilters() {
        // hubble observe --port 5432 sends one filter on source_port and one on destination_port.
        List<FlowFilter> either = List.of(FlowFilter.newBuilder().addSourcePort("5432").build(),
                FlowFilter.newBuilder().addDestinationPort("5432").build());
        Flow answer = with(b -> b.setL4(Layer4.newBuilder().setTCP(TCP.newBuilder().setSourcePort(5432).setDestinationPort(44916))));
        assertThat(FlowFilterMatcher.of(either, List.of()).test(BASE)).isTrue();
        assertThat(FlowFilterMatcher.of(either, List.of()).test(answer)).isTrue();
        assertThat(FlowFilterMatcher.of(either, List.of()).test(DNS_FLOW)).isFalse();
    }

    @Test
    void podWithoutNamespaceMatchesAnyNamespaceAndEndpointsWithoutPodsNever() {
        Flow world = with(b -> b.setSource(Endpoint.newBuilder().addLabels("reserved:world")));
        FlowFilterMatcher front = FlowFilterMatcher.of(List.of(FlowFilter.newBuilder().addSourcePod("frontend").build()), List.of());
        assertThat(front.test(BASE)).isTrue();
        assertThat(front.test(world)).isFalse();
        assertThat(FlowFilterMatcher.of(List.of(FlowFilter.newBuilder().addSourceLabel("reserved:world").build()), List.of()).test(world)).isTrue();
        assertThat(FlowFilterMatcher.of(List.of(FlowFilter.newBuilder().addSourceLabel("!app").build()), List.of()).test(world)).isTrue();
        assertThat(FlowFilterMatcher.of(List.of(FlowFilter.newBuilder().addSourceLabel("app notin (frontend)").build()), List.of()).test(BASE)).isFalse();
    }

    @Test
    void nodeNamePatternsTakeAClusterPart() {
        assertThat(node("cluster-a/")).isTrue();
        assertThat(node("cluster-b/")).isFalse();
        assertThat(node("cluster-a/worker-1")).isTrue();
        assertThat(node("worker-1")).isTrue();
        assertThat(node("worker")).isFalse();
        assertThat(node("*/worker-?")).isFalse();
    }

    private static boolean node(String pattern) {
        return FlowFilterMatcher.of(List.of(FlowFilter.newBuilder().addNodeName(pattern).build()), List.of()).test(BASE);
    }

    @Test
    void badValuesAreRefusedNamingTheField() {
        assertThatThrownBy(() -> FlowFilterMatcher.of(List.of(FlowFilter.newBuilder().addSourceIp("10.0.0.0/33").build()), List.of()))
                .isInstanceOf(InvalidFilterException.class).hasMessageStartingWith("source_ip:");
        assertThatThrownBy(() -> FlowFilterMatcher.of(List.of(FlowFilter.newBuilder().addSourceIp("example.com").build()), List.of()))
                .isInstanceOf(InvalidFilterException.class);
        assertThatThrownBy(() -> FlowFilterMatcher.of(List.of(FlowFilter.newBuilder().addDnsQuery("(").build()), List.of()))
                .isInstanceOf(InvalidFilterException.class).hasMessageStartingWith("dns_query:");
        assertThatThrownBy(() -> FlowFilterMatcher.of(List.of(FlowFilter.newBuilder().addDestinationPort("http").build()), List.of()))
                .isInstanceOf(InvalidFilterException.class).hasMessageStartingWith("destination_port:");
        assertThatThrownBy(() -> FlowFilterMatcher.of(List.of(FlowFilter.newBuilder().addHttpStatusCode("4xx").build()), List.of()))
                .isInstanceOf(InvalidFilterException.class).hasMessageStartingWith("http_status_code:");
        assertThatThrownBy(() -> FlowFilterMatcher.of(List.of(FlowFilter.newBuilder().addProtocol("gopher").build()), List.of()))
                .isInstanceOf(InvalidFilterException.class).hasMessageStartingWith("protocol:");
        assertThatThrownBy(() -> FlowFilterMatcher.of(List.of(FlowFilter.newBuilder().addSourceLabel("app in (a").build()), List.of()))
                .isInstanceOf(InvalidFilterException.class).hasMessageStartingWith("source_label:");
    }

    @Test
    void aFilterFieldThisServerDoesNotKnowIsRefusedNotIgnored() {
        // node_labels (36) in a newer Hubble: ignoring it would answer every flow instead of the ones asked for.
        FlowFilter newer = FlowFilter.newBuilder().setUnknownFields(UnknownFieldSet.newBuilder()
                .addField(36, UnknownFieldSet.Field.newBuilder().addLengthDelimited(com.google.protobuf.ByteString.copyFromUtf8("a=b")).build())
                .build()).build();
        assertThatThrownBy(() -> FlowFilterMatcher.of(List.of(newer), List.of()))
                .isInstanceOf(InvalidFilterException.class).hasMessageContaining("36");
    }
}
